// Repositories over one connection: the ReadTx/WriteTx interfaces in SQL.
#pragma once

#include "connection.hpp"
#include "dondoc/storage/store.hpp"

namespace dondoc::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  std::optional<Unit> find_unit(UnitId id) override;
  std::optional<Unit> find_unit_by_code(const std::string& code) override;
  PageResult<Unit> list_units(const UnitQuery& query) override;
  std::optional<Task> find_task(TaskId id) override;
  PageResult<Task> list_tasks(const TaskQuery& query) override;
  std::vector<TaskEvent> task_history(TaskId id) override;

  UnitId insert_unit(const Unit& unit, const std::string& search_text) override;
  void update_unit(const Unit& unit, const std::string& search_text) override;
  TaskId insert_task(const Task& task, const std::string& search_text) override;
  void update_task(const Task& task, const std::string& search_text) override;
  std::int64_t append_event(const TaskEvent& event) override;

 private:
  void load_coordinating_units(std::vector<Task>& tasks);
  void write_task_units(const Task& task);

  Connection& conn_;
};

}  // namespace dondoc::storage::sqlite
