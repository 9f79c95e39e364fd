// Attached documents' rows: what each file is, whose it is, and where its content is kept.
#include "sql_helpers.hpp"
#include "sqlite_tx.hpp"

namespace dondoc::storage::sqlite {

namespace {

using domain::Attachment;

constexpr const char* kAttachmentColumns =
    "id, task_id, attached_to, ref_id, name, kind, size, sha256, uploaded_by, uploaded_at";

Attachment attachment_from_row(SQLite::Statement& s) {
  Attachment a;
  a.id = s.getColumn(0).getInt64();
  a.task_id = s.getColumn(1).getInt64();
  a.to = domain::parse_attached_to(s.getColumn(2).getString()).value_or(domain::AttachedTo::task);
  a.ref_id = s.getColumn(3).getInt64();
  a.name = s.getColumn(4).getString();
  a.kind = domain::parse_file_kind(s.getColumn(5).getString()).value_or(domain::FileKind::pdf);
  a.size = s.getColumn(6).getInt64();
  a.sha256 = s.getColumn(7).getString();
  a.uploaded_by = s.getColumn(8).getString();
  a.uploaded_at = domain::from_unix_millis(s.getColumn(9).getInt64());
  return a;
}

}  // namespace

std::optional<Attachment> SqliteTx::find_attachment(domain::AttachmentId id) {
  auto& s = conn_.statement(std::string("SELECT ") + kAttachmentColumns +
                            " FROM attachments WHERE id = ?");
  s.bind(1, id);
  if (!s.executeStep()) {
    return std::nullopt;
  }
  return attachment_from_row(s);
}

std::vector<Attachment> SqliteTx::attachments_of(TaskId task) {
  auto& s = conn_.statement(std::string("SELECT ") + kAttachmentColumns +
                            " FROM attachments WHERE task_id = ? ORDER BY id");
  s.bind(1, task);
  std::vector<Attachment> out;
  while (s.executeStep()) {
    out.push_back(attachment_from_row(s));
  }
  return out;
}

bool SqliteTx::content_referenced(const std::string& sha256) {
  auto& s = conn_.statement("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1");
  s.bind(1, sha256);
  return s.executeStep();
}

domain::AttachmentId SqliteTx::insert_attachment(const Attachment& a) {
  auto& s = conn_.statement(
      "INSERT INTO attachments (task_id, attached_to, ref_id, name, kind, size, sha256, "
      "uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, a.task_id);
  s.bind(2, std::string(domain::to_string(a.to)));
  s.bind(3, a.ref_id);
  s.bind(4, a.name);
  s.bind(5, std::string(domain::to_string(a.kind)));
  s.bind(6, a.size);
  s.bind(7, a.sha256);
  s.bind(8, a.uploaded_by);
  s.bind(9, domain::to_unix_millis(a.uploaded_at));
  s.exec();
  return conn_.db().getLastInsertRowid();
}

}  // namespace dondoc::storage::sqlite
