// An uploaded file and its name, as a client sends them: the kind read from the bytes (the
// signatures, and a ZIP's end record and central directory, whose offsets and lengths the file
// itself states), the name the file is kept under, and its ASCII fallback for downloads. Bytes
// up to the first newline are the name; all of them are the file.
#include <cstdint>
#include <string>

#include "dondoc/domain/attachment.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/service/text.hpp"

using namespace dondoc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto kind = domain::sniff_file_kind(bytes.size(), [&](std::uint64_t at, std::size_t n) {
    return at >= bytes.size() ? std::string() : bytes.substr(static_cast<std::size_t>(at), n);
  });
  const std::string name = bytes.substr(0, bytes.find('\n'));
  (void)service::ascii_fallback(name);
  // A refusal (ValidationError: invalid UTF-8, an empty name, another kind's extension) is a
  // fine outcome; anything else that escapes is a bug.
  try {
    const std::string nfc = service::normalize_nfc(name, "name");
    const std::string kept = domain::attachment_name(nfc, kind.value_or(domain::FileKind::pdf));
    if (kept.empty() || kept.size() > 210) {
      __builtin_trap();  // a kept name is never empty, and at most 200 bytes and an extension
    }
  } catch (const domain::ValidationError&) {
  }
  return 0;
}
