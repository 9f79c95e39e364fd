// A leader's dashboard: the period's figures (the meeting report), a bar per unit, the overdue
// list by working days overdue, and the extension requests waiting for a decision, each decided
// here in one step.
import { h, link, show, api, all, session, loadUnits, loadLeaders, unitName, date, numbers, statusArea, flash, go } from "./core.js";
import { period, periodQuery, periodForm, periodWords, summaryTable, headline, unitChart, unitTable, extensionFigures } from "./figures.js";
import { decisionForms, sourceOf, taskRow } from "./pages-tasks.js";

export async function dashboardPage() {
  const params = new URLSearchParams(location.search);
  const chosen = period(params);
  // "My tasks" (the ones this leader is in charge of) or every task; the choice is in the
  // address, so that a leader can keep the link.
  const mine = params.get("mine") === "1";
  const who = mine ? `&leader_id=${session.user.id}` : "";
  const q = periodQuery(chosen);
  const showAll = params.get("pending") === "all";
  // Everything is asked for at once, and each part is drawn as soon as its answer is in: the
  // figures first (the summary is the quickest), the rest as it comes.
  const units = Promise.all([loadUnits(), loadLeaders()]);
  const summary = api("GET", `/api/v1/reports/summary?${q}${who}`);
  const overdue = api("GET", `/api/v1/reports/overdue?limit=20${chosen.asOf ? `&as_of=${chosen.asOf}` : ""}${chosen.basis ? `&basis=${chosen.basis}` : ""}${who}`);
  const waiting = Promise.all([pendingRequests(showAll, who), units]).then(([w]) => w);
  const key = Promise.all([api("GET", `/api/v1/tasks?key_task=true&state=open,reported,suspended&sort=due_on&limit=20${who}`), units])
    .then(([k]) => k);
  const said = statusArea();
  const loading = (id, title) => h("section", { "aria-labelledby": id, "aria-busy": "true" },
    h("h2", { id }, title), h("p", { class: "loading" }, "Đang tải…"));
  const parts = {
    figures: loading("figures", "Kết quả thực hiện"),
    pending: loading("pending", "Đề nghị gia hạn chờ quyết định"),
    key: loading("key", "Nhiệm vụ trọng tâm"),
    overdue: loading("overdue", "Nhiệm vụ quá hạn"),
    units: loading("units", "Theo đơn vị"),
  };
  const scope = (on, words) => {
    const next = new URLSearchParams(params);
    if (on) next.set("mine", "1"); else next.delete("mine");
    next.delete("pending");
    return on === mine ? h("span", { class: "current", "aria-current": "page" }, words)
      : link(`/dashboard${next.toString() ? `?${next}` : ""}`, words);
  };
  show("Tổng quan",
    h("p", { class: "lede" }, periodWords(chosen)),
    h("nav", { class: "scope", "aria-label": "Phạm vi nhiệm vụ" },
      scope(true, "Nhiệm vụ tôi phụ trách"), scope(false, "Tất cả nhiệm vụ")),
    said,
    periodForm("/dashboard", chosen),
    Object.values(parts),
    h("p", { class: "actions" }, link(`/reports?${q}${who}`, "Tải báo cáo, bản in")));
  const draw = async (name, answer, section) => parts[name].replaceWith(section(await answer));
  await Promise.all([
    draw("figures", summary, (s) => h("section", { "aria-labelledby": "figures" },
      h("h2", { id: "figures" }, "Kết quả thực hiện"),
      headline(s.total),
      summaryTable(s, "Tình hình thực hiện nhiệm vụ trong kỳ"),
      extensionFigures(s.extensions))),
    draw("units", summary, (s) => h("section", { "aria-labelledby": "units" },
      h("h2", { id: "units" }, "Theo đơn vị"),
      unitChart(s.by_lead_unit),
      h("details", { class: "action" }, h("summary", {}, "Bảng số liệu theo đơn vị"), unitTable(s.by_lead_unit)))),
    draw("pending", waiting, pendingSection),
    draw("key", key, (k) => keySection(k, mine)),
    draw("overdue", overdue, overdueSection),
  ]);
}

// The pending requests, the ten filed first (the longest waiting) unless all are asked for;
// each carries its task's title and source document.
async function pendingRequests(showAll, who) {
  const requests = (await all(`/api/v1/extensions?state=pending${who}`)).sort((a, b) => a.created_at.localeCompare(b.created_at));
  const pending = showAll ? requests : requests.slice(0, 10);
  return { requests, pending };
}

// Each request with what a leader needs to decide: the task, its unit, both deadlines, the reason.
function pendingSection({ requests, pending }) {
  const heading = h("h2", { id: "pending" }, `Đề nghị gia hạn chờ quyết định (${numbers.format(requests.length)})`);
  const rest = new URLSearchParams(location.search);
  rest.set("pending", "all");
  const more = requests.length > pending.length
    ? h("p", {}, link(`/dashboard?${rest}`, `Xem tất cả ${numbers.format(requests.length)} đề nghị`)) : null;
  if (!pending.length) return h("section", { "aria-labelledby": "pending" }, heading, h("p", {}, "Không có đề nghị nào chờ quyết định."));
  return h("section", { "aria-labelledby": "pending" }, heading,
    h("ul", { class: "plain" }, pending.map((x) => {
      return h("li", { class: "panel extension" },
        h("h3", {}, link(`/tasks/${x.task_id}`, x.task.title)),
        h("dl", { class: "facts" },
          x.task.source_ref ? [h("dt", {}, "Văn bản giao"), h("dd", {}, sourceOf(x.task))] : null,
          h("dt", {}, "Đơn vị đề nghị"), h("dd", {}, x.unit_name || unitName(x.unit_id)),
          h("dt", {}, "Thời hạn hiện tại"), h("dd", {}, date(x.current_due_on)),
          h("dt", {}, "Đề nghị gia hạn đến"), h("dd", {}, h("strong", {}, date(x.proposed_due_on)), x.late ? " (gửi muộn)" : ""),
          h("dt", {}, "Lý do"), h("dd", {}, x.reason),
          x.document_ref ? [h("dt", {}, "Văn bản đề nghị"), h("dd", {}, x.document_ref)] : null),
        decisionForms(x, () => {
          flash("Đã ghi nhận quyết định.");
          return go(location.pathname + location.search, true);
        }));
    })), more);
}

// The key tasks still being worked on, the nearest deadline first.
function keySection(result, mine) {
  const more = result.total > result.items.length
    ? h("p", {}, link(`/tasks?key_task=true${mine ? `&leader_id=${session.user.id}` : ""}`, `Xem tất cả ${numbers.format(result.total)} nhiệm vụ trọng tâm`)) : null;
  return h("section", { "aria-labelledby": "key" },
    h("h2", { id: "key" }, `Nhiệm vụ trọng tâm đang thực hiện (${numbers.format(result.total)})`),
    result.items.length ? h("table", { class: "cards" },
      h("caption", { class: "skip" }, "Nhiệm vụ trọng tâm, hạn gần nhất trước"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Nhiệm vụ"), h("th", { scope: "col" }, "Văn bản giao"),
        h("th", { scope: "col" }, "Đơn vị chủ trì"), h("th", { scope: "col", class: "date" }, "Thời hạn"),
        h("th", { scope: "col" }, "Tình trạng"))),
      h("tbody", {}, result.items.map((t) => taskRow(t)))) : h("p", {}, "Không có nhiệm vụ trọng tâm nào đang thực hiện."),
    more);
}

function overdueSection(overdue) {
  const items = [...overdue.items].sort((a, b) => b.working_days_overdue - a.working_days_overdue || a.number - b.number);
  const shown = items;  // the twenty longest overdue, as the API cuts the list
  return h("section", { "aria-labelledby": "overdue" },
    h("h2", { id: "overdue" }, `Nhiệm vụ quá hạn đến ${date(overdue.as_of)} (${numbers.format(overdue.total)})`),
    items.length ? h("table", { class: "cards" },
      h("caption", { class: "skip" }, "Nhiệm vụ quá hạn, quá hạn lâu nhất trước"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Nhiệm vụ"), h("th", { scope: "col" }, "Đơn vị chủ trì"),
        h("th", { scope: "col", class: "date" }, "Thời hạn"), h("th", { scope: "col", class: "num" }, "Quá hạn (ngày làm việc)"),
        h("th", { scope: "col", class: "num" }, "Số lần gia hạn"))),
      h("tbody", {}, shown.map((t) => h("tr", {},
        h("td", { "data-label": "Nhiệm vụ" }, link(`/tasks/${t.task_id}`, t.title)),
        h("td", { "data-label": "Đơn vị chủ trì" }, t.lead_unit),
        h("td", { "data-label": "Thời hạn", class: "date" }, date(t.due_on)),
        h("td", { "data-label": "Quá hạn (ngày làm việc)", class: "num" }, `${numbers.format(t.working_days_overdue)} (${numbers.format(t.days_overdue)} ngày)`),
        h("td", { "data-label": "Số lần gia hạn", class: "num" }, numbers.format(t.extension_count)))))) : h("p", {}, "Không có nhiệm vụ quá hạn."),
    overdue.total > shown.length ? h("p", {}, link("/tasks?timeliness=overdue&sort=due_on", `Xem tất cả ${numbers.format(overdue.total)} nhiệm vụ quá hạn`)) : null);
}
