// Typed errors (docs/design.md, "Conventions"): thrown for bad input and broken invariants, caught
// at the edges (HTTP maps them to problem+json, the CLI to a message and exit code).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace dondoc::domain {

struct FieldError {
  std::string field;  // JSON path of the offending field, e.g. "deadline.working_days"
  std::string message;
  int row = 0;  // in an imported file, the row it is about (1 is the header); 0 otherwise
};

class ValidationError : public std::runtime_error {
 public:
  explicit ValidationError(std::vector<FieldError> errors);
  ValidationError(std::string field, std::string message)
      : ValidationError(std::vector<FieldError>{{std::move(field), std::move(message)}}) {}
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  std::vector<FieldError> errors_;
};

// Collects field errors so that a request reports every problem at once, not only the first.
class FieldErrors {
 public:
  void add(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  void throw_if_any() const {
    if (!errors_.empty()) {
      throw ValidationError(errors_);
    }
  }

 private:
  std::vector<FieldError> errors_;
};

class NotFound : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The request is well-formed but conflicts with the current state (a wrong lifecycle transition,
// a duplicate unit code).
class Conflict : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The caller is not signed in: no token, or one that is malformed, unknown, expired or revoked.
// Deliberately says no more than that.
class Unauthenticated : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The caller is signed in but their role may not do this. `action` names the operation refused,
// for the audit log.
class Forbidden : public std::runtime_error {
 public:
  Forbidden(std::string action, const std::string& message)
      : std::runtime_error(message), action_(std::move(action)) {}
  const std::string& action() const { return action_; }

 private:
  std::string action_;
};

// Optimistic concurrency: the client's version is not the stored one.
class VersionMismatch : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A request body larger than a configured limit allows (413).
class TooLarge : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Content of a kind dondoc does not take (415): a file that is not a PDF, DOCX, XLSX or image.
class UnsupportedContent : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StorageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ConfigError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace dondoc::domain
