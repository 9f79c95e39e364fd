// Attached documents (docs/design.md, "Attached documents"): who may attach a file to what,
// how large it may be, what it may be (judged from its content), and who may read it back.
// A file arrives in pieces (Upload::append), is judged and made durable off the event loops
// (Upload::keep), and only then is its row written (Upload::plan), with a history entry.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/attachment.hpp"
#include "dondoc/service/context.hpp"

namespace dondoc::service {

struct AttachmentTarget {
  TaskId task_id = 0;
  domain::AttachedTo to = domain::AttachedTo::task;
  std::int64_t ref_id = 0;  // the note's or report's event id, the extension request's id
  std::string name;         // as the sender named the file
  // The body's length when the client declared it (Content-Length): refused at once when over
  // a limit, before a byte is read.
  std::optional<std::uint64_t> declared_size;
};

// One file arriving. Its limit is the smaller of the file limit and the room left in the task.
// Shared: its planned write keeps it alive until the write has run.
class Upload : public std::enable_shared_from_this<Upload> {
 public:
  Upload(const ServiceContext& ctx, Actor actor, AttachmentTarget target, std::uint64_t limit,
         std::unique_ptr<storage::IncomingFile> file);
  std::uint64_t limit() const { return limit_; }
  // Throws domain::TooLarge past the limit (what was received is dropped with the Upload).
  void append(std::string_view bytes);
  // What a file over the limit is told: which limit, and how large it is.
  std::string over_limit() const;
  // After the last byte: judges the content (domain::UnsupportedContent), names the file
  // (ValidationError), makes it durable. It syncs the disk: not for an event loop.
  void keep();
  // The row and its history entry, in a write (after keep). Checked again there: the caller may
  // still attach to the task, the task's files fit its limit, the same file is not attached to
  // the same thing twice (Conflict).
  WritePlan<domain::Attachment> plan();

 private:
  const ServiceContext& ctx_;
  Actor actor_;
  AttachmentTarget target_;
  std::uint64_t limit_;
  std::unique_ptr<storage::IncomingFile> file_;
  std::optional<domain::Attachment> kept_;
};

// A file to send: its row and where its content is.
struct Download {
  domain::Attachment attachment;
  std::string path;
};

class AttachmentService {
 public:
  explicit AttachmentService(const ServiceContext& ctx) : ctx_(ctx) {}

  // Checks that `actor` may attach to the target and that a file of the declared size fits;
  // then the upload, ready for its bytes.
  std::shared_ptr<Upload> begin(const Actor& actor, AttachmentTarget target) const;
  // A task's files, oldest first. NotFound when the actor may not see the task.
  std::vector<domain::Attachment> list(const Actor& actor, TaskId task_id) const;
  // NotFound, saying nothing more, unless the actor may see the file's task.
  Download open(const Actor& actor, domain::AttachmentId id) const;
  // All of it at once, on the calling thread: for tools, the demo and tests.
  domain::Attachment attach(const Actor& actor, AttachmentTarget target,
                            std::string_view content) const;

 private:
  const ServiceContext& ctx_;
};

}  // namespace dondoc::service
