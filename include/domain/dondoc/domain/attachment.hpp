// Attached documents (tài liệu đính kèm): the scanned official letter, the report a unit sends,
// the table behind it. A file belongs to a task, and within it to the task itself, a progress
// note, the completion report or an extension request. What a file is is read from its bytes,
// never from its name: a name says ".pdf" whatever it holds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dondoc/domain/clock.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::domain {

using AttachmentId = std::int64_t;

// What in the task a file goes with: the task (its assigning document, say); a progress note
// or the completion report (history entries, by event id); an extension request (by its id).
enum class AttachedTo { task, note, report, extension };
std::string_view to_string(AttachedTo to);
std::optional<AttachedTo> parse_attached_to(std::string_view text);
std::string attached_to_names();  // "task, note, report, extension"

// The kinds of file accepted: what offices exchange. Anything else is refused (415).
enum class FileKind { pdf, docx, xlsx, png, jpeg, tiff };
std::string_view to_string(FileKind kind);  // "pdf", "docx", "xlsx", "png", "jpeg", "tiff"
std::optional<FileKind> parse_file_kind(std::string_view text);
std::string_view media_type(FileKind kind);
std::string_view extension_of(FileKind kind);  // "pdf", "docx", … (jpeg: "jpg")
// What a person calls it: "PDF", "Word (DOCX)", …
std::string_view describe(FileKind kind);
std::string accepted_kinds();  // "PDF, Word (DOCX), …"

// Reads `length` bytes at `offset` of the file being judged (fewer at its end).
using ReadAt = std::function<std::string(std::uint64_t offset, std::size_t length)>;

// The kind of a file of `size` bytes, from its content: the signature at its start and, for
// the ZIP containers of DOCX and XLSX, the names in its central directory (word/document.xml,
// xl/workbook.xml). nullopt: not a kind dondoc accepts (a ZIP that is neither, a DOC of the
// old format, a program, text).
std::optional<FileKind> sniff_file_kind(std::uint64_t size, const ReadAt& read_at);

// The name a file is kept and offered under: its last path segment (a browser may send
// "C:\\fakepath\\…"), without control characters, at most 200 bytes (whole code points), with
// the extension of its kind (added when it has none dondoc knows). The name must already be
// valid UTF-8. Throws ValidationError (field "name") when it is empty, or its extension names
// another kind ("the file is a PNG image but its name ends in .pdf").
std::string attachment_name(std::string_view name, FileKind kind);

struct Attachment {
  AttachmentId id = 0;
  TaskId task_id = 0;
  AttachedTo to = AttachedTo::task;
  std::int64_t ref_id = 0;  // the event (note, report) or extension request; 0 for the task
  std::string name;         // as offered for download, NFC
  FileKind kind = FileKind::pdf;
  std::int64_t size = 0;
  std::string sha256;       // lower-case hex: where the content is kept
  std::string uploaded_by;  // login
  Instant uploaded_at{};

  bool operator==(const Attachment&) const = default;
};

}  // namespace dondoc::domain
