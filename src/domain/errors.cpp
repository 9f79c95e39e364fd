#include "dondoc/domain/errors.hpp"

namespace dondoc::domain {

namespace {
std::string summarize(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) {
      out += "; ";
    }
    out += e.field.empty() ? e.message : e.field + ": " + e.message;
  }
  return out;
}
}  // namespace

ValidationError::ValidationError(std::vector<FieldError> errors)
    : std::runtime_error(summarize(errors)), errors_(std::move(errors)) {}

}  // namespace dondoc::domain
