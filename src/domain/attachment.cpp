#include "dondoc/domain/attachment.hpp"

#include <algorithm>
#include <array>

#include "dondoc/domain/errors.hpp"
#include "dondoc/domain/text.hpp"
#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr detail::NameTable<AttachedTo, 4> kAttachedTo{{{AttachedTo::task, "task"},
                                                        {AttachedTo::note, "note"},
                                                        {AttachedTo::report, "report"},
                                                        {AttachedTo::extension, "extension"}}};

constexpr detail::NameTable<FileKind, 6> kFileKinds{{{FileKind::pdf, "pdf"},
                                                     {FileKind::docx, "docx"},
                                                     {FileKind::xlsx, "xlsx"},
                                                     {FileKind::png, "png"},
                                                     {FileKind::jpeg, "jpeg"},
                                                     {FileKind::tiff, "tiff"}}};

struct KindInfo {
  FileKind kind;
  std::string_view media_type;
  std::string_view extension;
  std::string_view description;
};

constexpr std::array<KindInfo, 6> kKinds{{
    {FileKind::pdf, "application/pdf", "pdf", "PDF"},
    {FileKind::docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "docx", "Word (DOCX)"},
    {FileKind::xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
     "Excel (XLSX)"},
    {FileKind::png, "image/png", "png", "PNG image"},
    {FileKind::jpeg, "image/jpeg", "jpg", "JPEG image"},
    {FileKind::tiff, "image/tiff", "tif", "TIFF image"},
}};

const KindInfo& info(FileKind kind) {
  return *std::find_if(kKinds.begin(), kKinds.end(),
                       [kind](const KindInfo& k) { return k.kind == kind; });
}

std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint8_t>(b[at]) |
         static_cast<std::uint32_t>(static_cast<std::uint8_t>(b[at + 1])) << 8;
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  return le16(b, at) | le16(b, at + 2) << 16;
}

// A DOCX or an XLSX is a ZIP whose central directory names its main part. The directory is
// found from the End Of Central Directory record, in the last 64 KiB + 22 bytes (its comment
// is at most 65,535 bytes); directories over 4 MiB are not read (an office file has a few KiB).
std::optional<FileKind> office_kind(std::uint64_t size, const ReadAt& read_at) {
  constexpr std::uint64_t kEocd = 22;
  constexpr std::uint64_t kTail = kEocd + 65535;
  constexpr std::uint32_t kMaxDirectory = 4 * 1024 * 1024;
  if (size < kEocd) {
    return std::nullopt;
  }
  const std::uint64_t tail_at = size > kTail ? size - kTail : 0;
  const std::string tail = read_at(tail_at, static_cast<std::size_t>(size - tail_at));
  if (tail.size() < kEocd) {
    return std::nullopt;
  }
  for (std::size_t at = tail.size() - kEocd + 1; at-- > 0;) {
    if (le32(tail, at) != 0x06054b50) {
      continue;
    }
    const std::uint32_t dir_size = le32(tail, at + 12);
    const std::uint32_t dir_at = le32(tail, at + 16);
    if (dir_size > kMaxDirectory || std::uint64_t{dir_at} + dir_size > tail_at + at) {
      return std::nullopt;
    }
    const std::string dir = read_at(dir_at, dir_size);
    if (dir.size() != dir_size) {
      return std::nullopt;
    }
    std::optional<FileKind> found;
    for (std::size_t e = 0; e + 46 <= dir.size() && le32(dir, e) == 0x02014b50;) {
      const std::size_t name_len = le16(dir, e + 28);
      const std::size_t skip = name_len + le16(dir, e + 30) + le16(dir, e + 32);
      if (e + 46 + name_len > dir.size()) {
        return std::nullopt;
      }
      const std::string_view name(dir.data() + e + 46, name_len);
      if (name == "word/document.xml") {
        found = FileKind::docx;
      } else if (name == "xl/workbook.xml") {
        found = FileKind::xlsx;
      }
      e += 46 + skip;
    }
    return found;
  }
  return std::nullopt;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The kind a file-name extension names, if one dondoc knows ("jpeg" and "tiff" too).
std::optional<FileKind> kind_of_extension(std::string_view ext) {
  const std::string e = lower_ascii(ext);
  if (e == "jpeg") {
    return FileKind::jpeg;
  }
  if (e == "tiff") {
    return FileKind::tiff;
  }
  for (const auto& k : kKinds) {
    if (k.extension == e) {
      return k.kind;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AttachedTo to) {
  return detail::name_of(kAttachedTo, to);
}

std::optional<AttachedTo> parse_attached_to(std::string_view text) {
  return detail::parse_name(kAttachedTo, text);
}

std::string attached_to_names() {
  return detail::names_of(kAttachedTo);
}

std::string_view to_string(FileKind kind) {
  return detail::name_of(kFileKinds, kind);
}

std::optional<FileKind> parse_file_kind(std::string_view text) {
  return detail::parse_name(kFileKinds, text);
}

std::string_view media_type(FileKind kind) {
  return info(kind).media_type;
}

std::string_view extension_of(FileKind kind) {
  return info(kind).extension;
}

std::string_view describe(FileKind kind) {
  return info(kind).description;
}

std::string accepted_kinds() {
  std::string out;
  for (const auto& k : kKinds) {
    out += (out.empty() ? "" : ", ") + std::string(k.description);
  }
  return out;
}

std::optional<FileKind> sniff_file_kind(std::uint64_t size, const ReadAt& read_at) {
  const std::string head = read_at(0, 8);
  auto starts = [&](std::string_view signature) { return head.starts_with(signature); };
  if (starts("%PDF-")) {
    return FileKind::pdf;
  }
  if (starts(std::string_view("\x89PNG\r\n\x1a\n", 8))) {
    return FileKind::png;
  }
  if (starts("\xFF\xD8\xFF")) {
    return FileKind::jpeg;
  }
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return FileKind::tiff;
  }
  if (starts(std::string_view("PK\x03\x04", 4))) {
    return office_kind(size, read_at);
  }
  return std::nullopt;
}

std::string attachment_name(std::string_view name, FileKind kind) {
  // The last segment of a path, whichever separator the sender's system uses.
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view cp = name.substr(i, len);
    i += len;
    if (c < 0x20 || c == 0x7F || has_control_characters(cp, false)) {
      continue;
    }
    if (out.size() + cp.size() > 200) {
      break;
    }
    out += cp;
  }
  while (!out.empty() && (out.front() == ' ' || out.front() == '.')) {
    out.erase(0, 1);  // no hidden files, no names of dots alone
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  if (out.empty()) {
    throw ValidationError("name", "is required: the file's name, e.g. \"Công văn 125-SXD.pdf\"");
  }
  const auto dot = out.rfind('.');
  const auto named = dot == std::string::npos
                         ? std::nullopt
                         : kind_of_extension(std::string_view(out).substr(dot + 1));
  if (named && *named != kind) {
    throw ValidationError("name", "the file is a " + std::string(describe(kind)) +
                                      " but its name ends in ." + out.substr(dot + 1) +
                                      "; choose the right file, or rename it");
  }
  if (!named) {
    out += ".";
    out += extension_of(kind);
  }
  return out;
}

}  // namespace dondoc::domain
