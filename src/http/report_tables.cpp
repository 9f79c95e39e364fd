#include "report_tables.hpp"

#include <cmath>
#include <cstdio>

namespace dondoc::http {

using domain::BucketCounts;
using domain::ExtensionCounts;
using domain::SummaryLine;

namespace {

// "85,3" (a Vietnamese decimal comma), or "" when there is no rate (nothing done, nothing due).
std::string percent(std::optional<double> rate) {
  if (!rate) {
    return "";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(*rate * 1000) / 10);
  std::string s = buf;
  for (char& ch : s) {
    ch = ch == '.' ? ',' : ch;
  }
  return s;
}

}  // namespace

std::string unit_name(const service::SummaryReport& r, domain::UnitId id) {
  const auto it = r.unit_names.find(id);
  return it == r.unit_names.end() ? "#" + std::to_string(id) : it->second;
}

namespace {

// Done and in progress, each beside its split, as the meeting reads them.
std::vector<std::string> count_cells(const BucketCounts& c) {
  return {std::to_string(c.done_on_time + c.done_late),
          std::to_string(c.done_on_time),
          std::to_string(c.done_late),
          std::to_string(c.open_on_time + c.open_overdue),
          std::to_string(c.open_on_time),
          std::to_string(c.open_overdue),
          std::to_string(c.suspended),
          std::to_string(c.cancelled),
          percent(c.on_time_rate())};
}

const std::vector<std::string> kCountHeadings = {"Đã hoàn thành",
                                                 "Hoàn thành đúng hạn",
                                                 "Hoàn thành quá hạn",
                                                 "Đang thực hiện",
                                                 "Đang thực hiện trong hạn",
                                                 "Đang thực hiện quá hạn",
                                                 "Tạm dừng",
                                                 "Thu hồi",
                                                 "Tỷ lệ hoàn thành đúng hạn (%)"};

// The Government's task system figure: due in the period, done, rate, overdue.
std::vector<std::string> due_cells(const domain::DueCounts& d) {
  return {std::to_string(d.due),       std::to_string(d.done()), std::to_string(d.done_on_time),
          std::to_string(d.done_late), percent(d.done_rate()),   std::to_string(d.overdue)};
}

const std::vector<std::string> kDueHeadings = {"Đến hạn trong kỳ",     "Đã hoàn thành",
                                               "Trong đó: đúng hạn",   "Trong đó: quá hạn",
                                               "Tỷ lệ hoàn thành (%)", "Quá hạn chưa hoàn thành"};

std::string extension_state_text(const domain::ExtensionRequest& r) {
  using domain::ExtensionState;
  switch (r.state) {
    case ExtensionState::pending:
      return "Chờ xử lý";
    case ExtensionState::approved:
      return "Đồng ý" + (r.decided_due_on ? ", gia hạn đến " + domain::vn_date(*r.decided_due_on)
                                          : std::string());
    case ExtensionState::rejected:
      return "Không đồng ý";
    case ExtensionState::withdrawn:
      return "Đơn vị rút lại";
    case ExtensionState::closed:
      return "Tự đóng (nhiệm vụ đã thay đổi)";
  }
  return "";
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

Table grouped_table(const std::string& title, const std::string& group_heading,
                    const std::vector<std::pair<std::string, const SummaryLine*>>& groups,
                    const SummaryLine& all) {
  Table t{title,
          with({"STT", group_heading, "Tổng số", "Kỳ trước chuyển sang", "Giao mới trong kỳ"},
               kCountHeadings),
          {},
          true};
  int n = 0;
  auto row = [&](const std::string& number, const std::string& name, const SummaryLine& l) {
    const BucketCounts total = l.total();
    t.rows.push_back(with({number, name, std::to_string(total.total),
                           std::to_string(l.carried_over.total), std::to_string(l.fresh.total)},
                          count_cells(total)));
  };
  for (const auto& [name, line] : groups) {
    row(std::to_string(++n), name, *line);
  }
  row("", "Tổng cộng", all);
  return t;
}

}  // namespace

std::vector<Table> summary_tables(const service::SummaryReport& r) {
  const auto& s = r.summary;
  std::vector<Table> tables;
  // Its last line is the key tasks, a part of the total above it, not a total.
  Table sections{"Tổng hợp", with({"Nhóm nhiệm vụ", "Tổng số"}, kCountHeadings), {}, false};
  auto section = [&](const std::string& name, const BucketCounts& c) {
    sections.rows.push_back(with({name, std::to_string(c.total)}, count_cells(c)));
  };
  section("Kỳ trước chuyển sang", s.all.carried_over);
  section("Giao mới trong kỳ", s.all.fresh);
  section("Tổng cộng", s.all.total());
  section("Trong đó: nhiệm vụ trọng tâm", s.key_tasks.total());
  tables.push_back(std::move(sections));

  std::vector<std::pair<std::string, const SummaryLine*>> units;
  for (const auto& [id, line] : s.by_lead_unit) {
    units.emplace_back(unit_name(r, id), &line);
  }
  tables.push_back(grouped_table("Theo đơn vị chủ trì", "Đơn vị chủ trì", units, s.all));
  std::vector<std::pair<std::string, const SummaryLine*>> assigners;
  for (const auto& [who, line] : s.by_assigner) {
    assigners.emplace_back(who.empty() ? "(không ghi)" : who, &line);
  }
  tables.push_back(grouped_table("Theo người giao nhiệm vụ", "Người giao", assigners, s.all));

  Table ext{"Đề nghị gia hạn",
            {"STT", "Đơn vị", "Số đề nghị", "Đồng ý", "Không đồng ý", "Rút lại", "Tự đóng",
             "Chờ xử lý", "Đề nghị muộn"},
            {},
            true};
  auto ext_row = [&](const std::string& number, const std::string& name, const ExtensionCounts& c) {
    ext.rows.push_back({number, name, std::to_string(c.requested), std::to_string(c.approved),
                        std::to_string(c.rejected), std::to_string(c.withdrawn),
                        std::to_string(c.closed), std::to_string(c.pending),
                        std::to_string(c.late)});
  };
  int n = 0;
  for (const auto& [id, c] : s.extensions_by_unit) {
    ext_row(std::to_string(++n), unit_name(r, id), c);
  }
  ext_row("", "Tổng cộng", s.extensions);
  tables.push_back(std::move(ext));

  Table due{"Nhiệm vụ đến hạn trong kỳ", with({"STT", "Đơn vị chủ trì"}, kDueHeadings), {}, true};
  n = 0;
  for (const auto& [id, line] : s.by_lead_unit) {
    if (line.due_in_period.due > 0) {
      due.rows.push_back(
          with({std::to_string(++n), unit_name(r, id)}, due_cells(line.due_in_period)));
    }
  }
  due.rows.push_back(with({"", "Tổng cộng"}, due_cells(s.all.due_in_period)));
  tables.push_back(std::move(due));

  Table requests{"Danh sách đề nghị gia hạn trong kỳ",
                 {"STT", "Số, ký hiệu văn bản", "Nội dung nhiệm vụ", "Đơn vị đề nghị",
                  "Văn bản đề nghị", "Thời hạn đang có", "Thời hạn đề nghị", "Kết quả xử lý"},
                 {},
                 false};
  n = 0;
  for (const auto& l : r.extension_requests) {
    requests.rows.push_back({std::to_string(++n), l.source_ref, l.title, l.unit,
                             l.request.document_ref, domain::vn_date(l.request.current_due_on),
                             domain::vn_date(l.request.proposed_due_on),
                             extension_state_text(l.request)});
  }
  tables.push_back(std::move(requests));
  return tables;
}

Table overdue_table(const service::OverdueReport& r) {
  Table t{
      "Danh mục nhiệm vụ quá hạn",
      {"STT", "Số, ký hiệu văn bản", "Ngày văn bản", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
       "Đơn vị phối hợp", "Lãnh đạo phụ trách", "Thời hạn", "Số ngày quá hạn",
       "Số ngày làm việc quá hạn", "Số lần gia hạn", "Đang đề nghị gia hạn", "Tiến độ gần nhất"},
      {},
      false};
  for (const auto& l : r.lines) {
    std::string coordinating;
    for (const auto& u : l.coordinating_units) {
      coordinating += (coordinating.empty() ? "" : "; ") + u;
    }
    t.rows.push_back(
        {std::to_string(l.number), l.source_ref,
         l.source_date ? domain::vn_date(*l.source_date) : "", l.title, l.lead_unit, coordinating,
         l.leader, domain::vn_date(l.due_on), std::to_string(l.days_overdue),
         std::to_string(l.working_days_overdue), std::to_string(l.extension_count),
         l.extension_pending ? "Có" : "Không",
         l.progress_on ? domain::vn_date(*l.progress_on) + ": " + l.progress_note : ""});
  }
  return t;
}

Table late_contributions_table(const service::OverdueReport& r) {
  Table t{"Phụ lục: ý kiến phối hợp chưa gửi đúng hạn",
          {"STT", "Số, ký hiệu văn bản", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
           "Hạn gửi ý kiến", "Số ngày chậm"},
          {},
          false};
  int number = 0;
  for (const auto& l : r.late_contributions) {
    t.rows.push_back({std::to_string(++number), l.source_ref, l.title, l.lead_unit, l.unit,
                      domain::vn_date(l.due_on), std::to_string(l.days_late)});
  }
  return t;
}

std::vector<Table> overdue_tables(const service::OverdueReport& r) {
  std::vector<Table> tables = {overdue_table(r)};
  if (!r.late_contributions.empty()) {
    tables.push_back(late_contributions_table(r));
  }
  return tables;
}

Table scorecard_table(const service::Scorecard& card) {
  Table t{"Kết quả thực hiện nhiệm vụ năm " + std::to_string(card.year) + " theo đơn vị",
          {"Xếp hạng", "Đơn vị chủ trì", "Nhiệm vụ đến hạn trong năm", "Hoàn thành đúng hạn",
           "Hoàn thành quá hạn", "Quá hạn chưa hoàn thành", "Đề nghị gia hạn", "Được gia hạn",
           "Tỷ lệ hoàn thành đúng hạn (%)"},
          {},
          true};
  auto cells = [](const domain::ScoreLine& l) {
    return std::vector<std::string>{std::to_string(l.due.due),
                                    std::to_string(l.due.done_on_time),
                                    std::to_string(l.due.done_late),
                                    std::to_string(l.due.overdue),
                                    std::to_string(l.extensions_requested),
                                    std::to_string(l.extensions_approved),
                                    percent(l.on_time_rate())};
  };
  for (const auto& l : card.lines) {
    const auto name = card.unit_names.find(l.unit_id);
    t.rows.push_back(
        with({l.rank > 0 ? std::to_string(l.rank) : "",
              name == card.unit_names.end() ? "#" + std::to_string(l.unit_id) : name->second},
             cells(l)));
  }
  t.rows.push_back(with({"", "Tổng cộng"}, cells(card.total)));
  return t;
}

namespace {
// Said only of the register: figures as things were are what a reader expects of a report.
std::string basis_note(domain::AsOfBasis basis) {
  return basis == domain::AsOfBasis::recorded ? " (theo sổ theo dõi tại thời điểm đó)" : "";
}
}  // namespace

std::string summary_heading(const service::SummaryReport& r) {
  const auto& p = r.summary.period;
  return "Kỳ báo cáo: từ ngày " + domain::vn_date(p.from) + " đến ngày " + domain::vn_date(p.to) +
         "; số liệu tính đến hết ngày " + domain::vn_date(p.as_of) + basis_note(r.basis) +
         (r.group_by == service::GroupBy::current ? "; đơn vị theo tổ chức hiện nay" : "");
}

std::string scorecard_heading(const service::Scorecard& card) {
  return "Nhiệm vụ có thời hạn trong năm " + std::to_string(card.year) +
         "; số liệu tính đến hết ngày " + domain::vn_date(card.as_of) + basis_note(card.basis);
}

std::string overdue_heading(const service::OverdueReport& r) {
  return "Tính đến hết ngày " + domain::vn_date(r.as_of) + basis_note(r.basis) + ": " +
         std::to_string(r.lines.size()) + " nhiệm vụ";
}

}  // namespace dondoc::http
