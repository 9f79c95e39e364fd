// Attached documents: uploads streamed to disk as they arrive (Api::stream), the list of a
// task's files, and downloads sent from the file (never whole in memory), always as a download.
#include <charconv>

#include "api_impl.hpp"
#include "dondoc/service/text.hpp"

namespace dondoc::http {

namespace {

// RFC 6266 with RFC 8187's filename*: the name in UTF-8, percent-encoded; before it, for old
// clients, `filename` in ASCII ("Cong van 125-SXD.pdf").
std::string content_disposition(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x80 && std::isalnum(c)) ||
        std::string_view("!#$&+-.^_`|~").find(ch) != std::string_view::npos) {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + service::ascii_fallback(name) + "\"; filename*=UTF-8''" +
         encoded;
}

// The target an upload names in its query: ?name=…&to=task|note|report|extension&ref=ID.
service::AttachmentTarget upload_target(const Request& req, const Target& target,
                                        domain::TaskId task) {
  domain::FieldErrors errors;
  QueryParams q(target.query, {"name", "to", "ref"}, errors);
  service::AttachmentTarget t;
  t.task_id = task;
  t.name = q.string("name").value_or("");
  if (t.name.empty()) {
    errors.add("name", "is required: the file's name, e.g. ?name=C%C3%B4ng%20v%C4%83n.pdf");
  }
  if (const auto to = q.string("to")) {
    if (const auto parsed = domain::parse_attached_to(*to)) {
      t.to = *parsed;
    } else {
      errors.add("to", "must be one of " + domain::attached_to_names());
    }
  }
  t.ref_id = q.integer("ref", 1, kMaxId).value_or(0);
  if (t.to != domain::AttachedTo::task && t.ref_id == 0) {
    errors.add("ref", "is required with to=" + std::string(domain::to_string(t.to)) +
                          ": the id of the note, report or extension request");
  }
  if (t.to == domain::AttachedTo::task && t.ref_id != 0) {
    errors.add("ref", "is only for to=note, report or extension");
  }
  errors.throw_if_any();
  if (const auto length = req.header("content-length")) {
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(length->data(), length->data() + length->size(), n);
    if (ec == std::errc() && ptr == length->data() + length->size()) {
      t.declared_size = n;
    }
  }
  return t;
}

// The POST …/attachments path's task id, if `path` is one.
std::optional<domain::TaskId> upload_path(const std::string& path) {
  constexpr std::string_view kPrefix = "/api/v1/tasks/";
  constexpr std::string_view kSuffix = "/attachments";
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix) ||
      path.size() <= kPrefix.size() + kSuffix.size()) {
    return std::nullopt;
  }
  const std::string_view id(path.data() + kPrefix.size(),
                            path.size() - kPrefix.size() - kSuffix.size());
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc() || ptr != id.data() + id.size() || n < 1 || id[0] == '+') {
    return std::nullopt;
  }
  return n;
}

// An upload as the server streams it: each piece to the file, then the Outcome.
class UploadSink final : public BodySink {
 public:
  using ProblemFor = std::function<Response(std::exception_ptr)>;
  UploadSink(std::shared_ptr<service::Upload> upload, ProblemFor problem_for,
             std::function<Outcome()> finish, std::string target)
      : upload_(std::move(upload)),
        problem_for_(std::move(problem_for)),
        finish_(std::move(finish)),
        target_(std::move(target)) {}

  std::uint64_t limit() const override { return upload_->limit(); }
  std::optional<Response> append(std::string_view bytes) override {
    try {
      upload_->append(bytes);
      return std::nullopt;
    } catch (...) {
      return problem_for_(std::current_exception());
    }
  }
  Response too_large() const override {
    Response r = problem(413, upload_->over_limit(), target_);
    r.close = true;
    return r;
  }
  Outcome finish() override { return finish_(); }

 private:
  std::shared_ptr<service::Upload> upload_;
  ProblemFor problem_for_;
  std::function<Outcome()> finish_;
  std::string target_;
};

}  // namespace

Outcome Api::Impl::upload_outcome(std::shared_ptr<service::Upload> upload, const Actor& actor,
                                  const Request& req) const {
  Outcome out =
      deferred(upload->plan(), actor, req, [this](const domain::Attachment& a) -> Response {
        return created("/api/v1/attachments/" + std::to_string(a.id), codec_.attachment(a));
      });
  out.prepare = [this, upload, target = req.target]() -> std::optional<Response> {
    try {
      upload->keep();
      return std::nullopt;
    } catch (...) {
      return problem_for(std::current_exception(), target);
    }
  };
  return out;
}

std::optional<Streamed> Api::Impl::stream(const Request& head) const {
  if (head.method != "POST") {
    return std::nullopt;
  }
  Target target;
  try {
    target = parse_target(head.target);
  } catch (...) {
    return std::nullopt;  // answered as malformed once read
  }
  const auto task = upload_path(target.path);
  if (!task) {
    return std::nullopt;
  }
  std::optional<Actor> actor;
  try {
    auto who = scope_.authenticate(credential(head, target, Surface::api, cookie_), false);
    if (auto* failure = std::get_if<service::AuthFailure>(&who)) {
      return Streamed{unauthenticated(head, target.path, *failure), nullptr};
    }
    actor = std::get<Actor>(who);
    if (auto wait = scope_.rate_limited(*actor)) {
      Response r =
          problem(429, "too many requests; retry in " + std::to_string(*wait) + " s", head.target);
      r.set_header("Retry-After", std::to_string(*wait));
      return Streamed{Outcome(std::move(r)), nullptr};
    }
    if (actor->must_change_password) {
      return Streamed{Outcome(problem(403,
                                      "your password is a one-time password: choose your own "
                                      "first (POST /api/v1/session/password)",
                                      head.target)),
                      nullptr};
    }
    std::shared_ptr<service::Upload> upload =
        attachments_.begin(*actor, upload_target(head, target, *task));
    return Streamed{
        std::nullopt,
        std::make_shared<UploadSink>(
            upload,
            [this, target = head.target](std::exception_ptr e) { return problem_for(e, target); },
            [this, upload, actor = *actor, head] { return upload_outcome(upload, actor, head); },
            head.target)};
  } catch (const domain::Forbidden& e) {
    return Streamed{forbidden(actor.value_or(Actor::anonymous()), e, head, target.path), nullptr};
  } catch (...) {
    return Streamed{Outcome(problem_for(std::current_exception(), head.target)), nullptr};
  }
}

void Api::Impl::add_attachment_routes() {
  add("GET", "/api/v1/tasks/{id}/attachments",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const auto files = attachments_.list(actor, p[0]);
        return json_response(200, page_json(items_json(files,
                                                       [this](const domain::Attachment& a) {
                                                         return codec_.attachment(a);
                                                       }),
                                            static_cast<std::int64_t>(files.size()), std::nullopt));
      });
  // Reached by a request whose body was not streamed: one with an empty body, or one made
  // without a server (Api::handle). The same steps, with the body in hand.
  add(
      "POST", "/api/v1/tasks/{id}/attachments",
      [this](const Request& req, const Target& target, const Params& p,
             const Actor& actor) -> Outcome {
        auto in = upload_target(req, target, p[0]);
        in.declared_size = req.body.size();
        if (req.body.empty()) {
          throw domain::ValidationError("",
                                        "the file is empty: send its bytes as the request body");
        }
        std::shared_ptr<service::Upload> upload = attachments_.begin(actor, std::move(in));
        upload->append(req.body);
        return upload_outcome(upload, actor, req);
      },
      "*");
  add("GET", "/api/v1/attachments/{id}",
      [this](const Request&, const Target&, const Params& p, const Actor& actor) -> Outcome {
        const auto file = attachments_.open(actor, p[0]);
        Response r;
        r.status = 200;
        r.set_header("Content-Type", std::string(domain::media_type(file.attachment.kind)));
        r.set_header("Content-Disposition", content_disposition(file.attachment.name));
        // Only those who may see the task may have it: no shared cache keeps a copy, and the
        // browser runs nothing in it should it be opened.
        r.set_header("Cache-Control", "private, no-store");
        r.set_header("Content-Security-Policy", "sandbox");
        r.body_file = file.path;
        return r;
      });
}

}  // namespace dondoc::http
