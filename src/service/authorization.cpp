#include "dondoc/service/authorization.hpp"

#include <algorithm>
#include <array>

#include "dondoc/domain/errors.hpp"

namespace dondoc::service {

namespace {

using domain::Role;

struct Row {
  Operation op;
  std::string_view name;
  // admin, office, leader, unit
  std::array<Reach, 4> reach;
};

constexpr Reach N = Reach::none;
constexpr Reach A = Reach::all;
constexpr Reach I = Reach::involved;
constexpr Reach L = Reach::lead;

// clang-format off
constexpr std::array<Row, 27> kTable{{
    //  operation                       audit name              admin office leader unit
    {Operation::unit_read,          "unit.read",            {A,    A,     A,     A}},
    {Operation::unit_write,         "unit.write",           {A,    N,     N,     N}},
    {Operation::unit_merge,         "unit.merge",           {A,    A,     N,     N}},
    {Operation::task_read,          "task.read",            {N,    A,     A,     I}},
    {Operation::task_create,        "task.create",          {N,    A,     A,     N}},
    {Operation::task_edit,          "task.edit",            {N,    A,     N,     N}},
    {Operation::task_note,          "task.note",            {N,    A,     N,     I}},
    {Operation::task_report,        "task.report",          {N,    N,     N,     L}},
    {Operation::task_confirm,       "task.confirm",         {N,    A,     N,     N}},
    {Operation::task_reopen,        "task.reopen",          {N,    A,     N,     N}},
    {Operation::task_suspend,       "task.suspend",         {N,    A,     N,     N}},
    {Operation::task_resume,        "task.resume",          {N,    A,     N,     N}},
    {Operation::task_cancel,        "task.cancel",          {N,    A,     N,     N}},
    {Operation::task_mark_key,      "task.mark_key",        {N,    A,     A,     N}},
    {Operation::extension_read,     "extension.read",       {N,    A,     A,     I}},
    {Operation::extension_request,  "extension.request",    {N,    A,     N,     L}},
    {Operation::extension_withdraw, "extension.withdraw",   {N,    A,     N,     L}},
    {Operation::extension_decide,   "extension.decide",     {N,    N,     A,     N}},
    {Operation::user_manage,        "user.manage",          {A,    N,     N,     N}},
    {Operation::audit_read,         "audit.read",           {A,    N,     A,     N}},
    {Operation::outbox_manage,      "outbox.manage",        {A,    N,     N,     N}},
    {Operation::report_read,        "report.read",          {N,    A,     A,     L}},
    {Operation::deadline_feed,      "deadline.feed",        {N,    A,     A,     I}},
    {Operation::series_manage,      "series.manage",        {N,    A,     N,     N}},
    {Operation::contribution_deadline, "contribution.deadline", {N, A,  N,     N}},
    {Operation::contribution_send,     "contribution.send",     {N, A,  N,     I}},
    {Operation::attachment_add,        "attachment.add",        {N, A,  A,     I}},
}};
// clang-format on

const Row& row(Operation op) {
  return *std::find_if(kTable.begin(), kTable.end(), [op](const Row& r) { return r.op == op; });
}

std::size_t column(Role role) {
  switch (role) {
    case Role::admin:
      return 0;
    case Role::office:
      return 1;
    case Role::leader:
      return 2;
    case Role::unit:
      return 3;
  }
  return 3;
}

[[noreturn]] void forbid(const Actor& actor, Operation op, const std::string& why) {
  throw domain::Forbidden(std::string(to_string(op)),
                          "role " + std::string(domain::to_string(*actor.role)) + " may not " +
                              std::string(to_string(op)) + why);
}

bool involves(const domain::Task& task, domain::UnitId unit) {
  return task.lead_unit_id == unit ||
         std::find(task.coordinating_unit_ids.begin(), task.coordinating_unit_ids.end(), unit) !=
             task.coordinating_unit_ids.end();
}

}  // namespace

Reach reach(Role role, Operation op) {
  return row(op).reach[column(role)];
}

const std::vector<std::pair<Operation, std::string_view>>& operations() {
  static const auto kAll = [] {
    std::vector<std::pair<Operation, std::string_view>> out;
    for (const auto& r : kTable) {
      out.emplace_back(r.op, r.name);
    }
    return out;
  }();
  return kAll;
}

std::string_view to_string(Operation op) {
  return row(op).name;
}

void require(const Actor& actor, Operation op) {
  if (actor.is_system()) {
    return;
  }
  if (reach(*actor.role, op) == Reach::none) {
    forbid(actor, op, "");
  }
}

std::optional<domain::UnitId> require_scope(const Actor& actor, Operation op) {
  require(actor, op);
  if (actor.is_system() || reach(*actor.role, op) == Reach::all) {
    return std::nullopt;
  }
  if (!actor.unit_id) {
    forbid(actor, op, ": the account belongs to no unit");
  }
  return actor.unit_id;
}

void require_on_unit(const Actor& actor, Operation op, domain::UnitId unit) {
  if (actor.is_system()) {
    return;
  }
  const Reach r = reach(*actor.role, op);
  if (r == Reach::none) {
    forbid(actor, op, "");
  }
  if (r != Reach::all && actor.unit_id != unit) {
    forbid(actor, op, " for another unit than its own");
  }
}

bool can_see(const Actor& actor, const domain::Task& task) {
  if (actor.is_system()) {
    return true;
  }
  switch (reach(*actor.role, Operation::task_read)) {
    case Reach::none:
      return false;
    case Reach::all:
      return true;
    case Reach::involved:
    case Reach::lead:
      return actor.unit_id && involves(task, *actor.unit_id);
  }
  return false;
}

void require_on_task(const Actor& actor, Operation op, const domain::Task& task) {
  if (actor.is_system()) {
    return;
  }
  if (reach(*actor.role, Operation::task_read) != Reach::none && !can_see(actor, task)) {
    throw domain::NotFound("task " + std::to_string(task.id) + " does not exist");
  }
  switch (reach(*actor.role, op)) {
    case Reach::none:
      forbid(actor, op, "");
    case Reach::all:
      return;
    case Reach::involved:
      if (actor.unit_id && involves(task, *actor.unit_id)) {
        return;
      }
      break;
    case Reach::lead:
      if (actor.unit_id && task.lead_unit_id == *actor.unit_id) {
        return;
      }
      forbid(actor, op,
             " on task " + std::to_string(task.id) +
                 ": only its lead unit may; your unit coordinates it");
  }
  throw domain::NotFound("task " + std::to_string(task.id) + " does not exist");
}

}  // namespace dondoc::service
