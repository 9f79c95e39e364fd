#include "dondoc/service/attachments.hpp"

#include <algorithm>
#include <numeric>

#include "dondoc/domain/errors.hpp"
#include "dondoc/service/text.hpp"
#include "service_helpers.hpp"

namespace dondoc::service {

namespace {

using domain::AttachedTo;
using domain::Attachment;

std::string mib(std::uint64_t bytes) {
  const std::uint64_t whole = bytes >> 20;
  if (whole << 20 == bytes) {
    return std::to_string(whole) + " MiB";
  }
  return std::to_string(bytes) + " bytes";
}

std::string task_name(TaskId id) {
  return "task " + std::to_string(id);
}

// The task, if the actor may attach to it and to the thing named in it; throws NotFound for a
// task the actor may not see (saying nothing of it), Forbidden, or NotFound for a thing that
// is not part of the task.
Task check_target(storage::ReadTx& tx, const Actor& actor, const AttachmentTarget& target) {
  const auto task = tx.find_task(target.task_id);
  if (!task || !can_see(actor, *task)) {
    throw domain::NotFound(task_name(target.task_id) + " does not exist");
  }
  require_on_task(actor, Operation::attachment_add, *task);
  const bool unit = actor.role == domain::Role::unit;
  auto event_of_kind = [&](domain::EventKind kind, const char* what) {
    for (const auto& e : tx.task_history(task->id)) {
      if (e.id == target.ref_id && e.kind == kind) {
        return e;
      }
    }
    throw domain::NotFound(task_name(task->id) + " has no " + what + " " +
                           std::to_string(target.ref_id));
  };
  switch (target.to) {
    case AttachedTo::task:
      break;
    case AttachedTo::note: {
      const auto e = event_of_kind(domain::EventKind::progress_note, "progress note");
      if (unit && e.actor != actor.name) {
        throw domain::Forbidden("attachment.add",
                                "a unit attaches files to its own progress notes only");
      }
      break;
    }
    case AttachedTo::report:
      event_of_kind(domain::EventKind::completion_reported, "completion report");
      if (unit && actor.unit_id != task->lead_unit_id) {
        throw domain::Forbidden("attachment.add",
                                "only the lead unit attaches files to its completion report");
      }
      break;
    case AttachedTo::extension: {
      const auto request = tx.find_extension(target.ref_id);
      if (!request || request->task_id != task->id) {
        throw domain::NotFound(task_name(task->id) + " has no extension request " +
                               std::to_string(target.ref_id));
      }
      if (unit && actor.unit_id != request->unit_id) {
        throw domain::Forbidden("attachment.add",
                                "only the unit that asked attaches files to its request");
      }
      break;
    }
  }
  return *task;
}

std::uint64_t bytes_of(const std::vector<Attachment>& files) {
  return std::accumulate(files.begin(), files.end(), std::uint64_t{0},
                         [](std::uint64_t sum, const Attachment& a) {
                           return sum + static_cast<std::uint64_t>(a.size);
                         });
}

}  // namespace

Upload::Upload(const ServiceContext& ctx, Actor actor, AttachmentTarget target, std::uint64_t limit,
               std::unique_ptr<storage::IncomingFile> file)
    : ctx_(ctx),
      actor_(std::move(actor)),
      target_(std::move(target)),
      limit_(limit),
      file_(std::move(file)) {}

std::string Upload::over_limit() const {
  return limit_ == ctx_.max_file_bytes
             ? "the file is larger than " + mib(limit_) + " (attachments.max_file_mib)"
             : "the task's files would take more than " + mib(ctx_.max_task_bytes) +
                   " (attachments.max_task_mib)";
}

void Upload::append(std::string_view bytes) {
  if (file_->size() + bytes.size() > limit_) {
    throw domain::TooLarge(over_limit());
  }
  file_->append(bytes);
}

void Upload::keep() {
  if (file_->size() == 0) {
    throw domain::ValidationError("", "the file is empty: send its bytes as the request body");
  }
  const auto kind = domain::sniff_file_kind(
      file_->size(), [this](std::uint64_t at, std::size_t n) { return file_->read_at(at, n); });
  if (!kind) {
    throw domain::UnsupportedContent("the file is not one dondoc takes: attach a " +
                                     domain::accepted_kinds() +
                                     " file (the kind is read from the content, not the name)");
  }
  Attachment a;
  a.task_id = target_.task_id;
  a.to = target_.to;
  a.ref_id = target_.ref_id;
  a.name = domain::attachment_name(target_.name, *kind);
  a.kind = *kind;
  const auto kept = file_->keep();
  a.size = static_cast<std::int64_t>(kept.size);
  a.sha256 = kept.sha256;
  a.uploaded_by = actor_.name;
  kept_ = a;
}

WritePlan<Attachment> Upload::plan() {
  // Planned before keep() has run (on a worker thread, just before the write): the row is
  // read from the kept file when the write runs.
  auto result = std::make_shared<Attachment>();
  return {
      [this, self = shared_from_this(), result](storage::WriteTx& tx) {
        if (!kept_) {
          throw std::logic_error("an upload's row written before its file was kept");
        }
        *result = *kept_;
        const Task task = check_target(tx, actor_, target_);
        const auto files = tx.attachments_of(task.id);
        for (const auto& f : files) {
          if (f.sha256 == result->sha256 && f.to == result->to && f.ref_id == result->ref_id) {
            throw domain::Conflict("this file is attached here already, as '" + f.name + "'");
          }
        }
        if (bytes_of(files) + static_cast<std::uint64_t>(result->size) > ctx_.max_task_bytes) {
          throw domain::TooLarge("the task's files would take more than " +
                                 mib(ctx_.max_task_bytes) + " (attachments.max_task_mib)");
        }
        result->uploaded_at = ctx_.clock.now();
        result->id = tx.insert_attachment(*result);
        domain::TaskEvent e;
        e.task_id = task.id;
        e.at = result->uploaded_at;
        e.actor = actor_.name;
        e.kind = domain::EventKind::attachment_added;
        e.effective_on = std::max(ctx_.today(), task.assigned_on);
        e.note = result->name;
        e.changes.push_back({"attachment_id", std::nullopt, std::to_string(result->id)});
        if (result->to != AttachedTo::task) {
          e.changes.push_back(
              {"attached_to", std::nullopt,
               std::string(domain::to_string(result->to)) + " " + std::to_string(result->ref_id)});
        }
        tx.append_event(e);
        ctx_.audit(tx, actor_, "attachment.add",
                   "task/" + std::to_string(task.id) + "/attachment/" + std::to_string(result->id),
                   result->name);
      },
      [result] { return *result; }};
}

std::shared_ptr<Upload> AttachmentService::begin(const Actor& actor,
                                                 AttachmentTarget target) const {
  require(actor, Operation::attachment_add);
  target.name = trim(normalize_nfc(target.name, "name"));
  if (target.name.empty()) {
    throw domain::ValidationError("name",
                                  "is required: the file's name, e.g. \"Công văn 125-SXD.pdf\"");
  }
  if (ctx_.files == nullptr) {
    throw domain::StorageError("no directory for attachments is configured");
  }
  if (target.declared_size && *target.declared_size > ctx_.max_file_bytes) {
    throw domain::TooLarge("the file is larger than " + mib(ctx_.max_file_bytes) +
                           " (attachments.max_file_mib)");
  }
  std::uint64_t used = 0;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const Task task = check_target(tx, actor, target);
    used = bytes_of(tx.attachments_of(task.id));
  });
  const std::uint64_t room = ctx_.max_task_bytes > used ? ctx_.max_task_bytes - used : 0;
  if (room == 0 || (target.declared_size && *target.declared_size > room)) {
    throw domain::TooLarge("the task's files would take more than " + mib(ctx_.max_task_bytes) +
                           " (attachments.max_task_mib); " + mib(used) + " are used");
  }
  const std::uint64_t limit = std::min(ctx_.max_file_bytes, room);
  return std::make_shared<Upload>(ctx_, actor, std::move(target), limit, ctx_.files->receive());
}

std::vector<Attachment> AttachmentService::list(const Actor& actor, TaskId task_id) const {
  require(actor, Operation::task_read);
  std::vector<Attachment> out;
  bool visible = false;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const auto task = tx.find_task(task_id);
    visible = task && can_see(actor, *task);
    if (visible) {
      out = tx.attachments_of(task_id);
    }
  });
  if (!visible) {
    throw domain::NotFound(task_name(task_id) + " does not exist");
  }
  return out;
}

Download AttachmentService::open(const Actor& actor, domain::AttachmentId id) const {
  std::optional<Attachment> found;
  ctx_.store.read([&](storage::ReadTx& tx) {
    const auto a = tx.find_attachment(id);
    const auto task = a ? tx.find_task(a->task_id) : std::nullopt;
    if (a && task && can_see(actor, *task)) {
      found = a;
    }
  });
  if (!found || ctx_.files == nullptr) {
    throw domain::NotFound("attachment " + std::to_string(id) + " does not exist");
  }
  return {*found, ctx_.files->path_of(found->sha256)};
}

Attachment AttachmentService::attach(const Actor& actor, AttachmentTarget target,
                                     std::string_view content) const {
  target.declared_size = content.size();
  auto upload = begin(actor, std::move(target));
  upload->append(content);
  upload->keep();
  return run(ctx_.store, upload->plan());
}

}  // namespace dondoc::service
