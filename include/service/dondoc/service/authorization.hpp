// Who may do what (docs/design.md, "Who may do what"): one table of operation × role, consulted by
// every use case before it reads or writes. A `unit` user's reach is limited to the tasks its unit
// leads or coordinates; tasks outside it do not exist for that user (404), never a 403 that would
// confirm they exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/domain/account.hpp"
#include "dondoc/domain/task.hpp"

namespace dondoc::service {

// Who is acting. Requests act as the user their token belongs to; the command line acts as the
// operator of the server (`system`), which the table does not limit.
struct Actor {
  std::optional<domain::UserId> user_id;
  std::string name = "system";              // login, recorded in history and audit
  std::optional<domain::Role> role;         // nullopt: the server's operator (command line)
  std::optional<domain::UnitId> unit_id;    // for role unit
  std::optional<domain::TokenId> token_id;  // the token the request came with
  // Set when the actor was taken from the credentials cache without a look at the accounts: the
  // credentials generation it was last checked at. A write made as this actor checks it again
  // in its own transaction (AccountService::confirm).
  std::optional<std::int64_t> unconfirmed_generation;
  // The session the request came with (a person signed in), instead of a token.
  std::optional<domain::SessionId> session_id;
  // A session whose user must first replace a one-time password: it may do nothing else.
  bool must_change_password = false;

  static Actor system() { return {}; }
  // A caller without a token, on the routes open to anyone (/healthz): a unit user of no unit,
  // so that whatever it reached would show it nothing.
  static Actor anonymous() {
    Actor a;
    a.name = "anonymous";
    a.role = domain::Role::unit;
    return a;
  }
  static Actor user(const domain::User& u) {
    Actor a;
    a.user_id = u.id;
    a.name = u.login;
    a.role = u.role;
    a.unit_id = u.unit_id;
    return a;
  }
  bool is_system() const { return !role; }
};

enum class Operation {
  unit_read,
  unit_write,
  unit_merge,
  task_read,
  task_create,
  task_edit,
  task_note,
  task_report,
  task_confirm,
  task_reopen,
  task_suspend,
  task_resume,
  task_cancel,
  task_mark_key,  // make a task a key task, or an ordinary one again
  extension_read,
  extension_request,
  extension_withdraw,
  extension_decide,
  user_manage,
  audit_read,
  outbox_manage,
  report_read,
  deadline_feed,          // a unit's deadlines as a calendar
  series_manage,          // start, change or stop a periodic series
  contribution_deadline,  // give a coordinating unit its own deadline (thời hạn phối hợp)
  contribution_send,      // record that a coordinating unit has sent its input
  attachment_add,         // attach a document to a task, a note, a report or a request
};

// How much of the data a role may apply an operation to.
enum class Reach {
  none,      // not at all: 403
  all,       // anything
  involved,  // tasks the user's unit leads or coordinates
  lead,      // tasks the user's unit leads
};

// The table. Walked completely by tests/unit/http/authorization_test.cpp.
Reach reach(domain::Role role, Operation op);

// Every operation with its audit name, e.g. {task_confirm, "task.confirm"}.
const std::vector<std::pair<Operation, std::string_view>>& operations();
std::string_view to_string(Operation op);

// Throws Forbidden unless the actor's role may perform `op` on something.
void require(const Actor& actor, Operation op);

// Like require; then the one unit the actor's view is confined to (a `unit` user's own), or
// none when it may see every unit's.
std::optional<domain::UnitId> require_scope(const Actor& actor, Operation op);

// Whether the actor may see the task at all (for `unit` users: their unit leads or coordinates
// it).
bool can_see(const Actor& actor, const domain::Task& task);

// For an operation on one task: NotFound if the actor may not see it, Forbidden if the role may
// not do `op` or its unit does not lead the task where leading is required.
void require_on_task(const Actor& actor, Operation op, const domain::Task& task);
// For an operation on a unit's own data: a unit user only on its own unit (403 otherwise).
void require_on_unit(const Actor& actor, Operation op, domain::UnitId unit);

}  // namespace dondoc::service
