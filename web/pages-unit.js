// A department's own page: its tasks by urgency (overdue, due soon, later, no deadline; the
// completions it reported, waiting for the Office), lead and coordinating roles told apart, its
// extension requests and its own figures, the same the leaders see of it.
import { h, link, show, api, all, session, loadUnits, unitName, date, numbers, badge, EXTENSION_STATE, statusArea } from "./core.js";
import { period, periodQuery, periodForm, periodWords, summaryTable } from "./figures.js";
import { sourceOf } from "./pages-tasks.js";

const GROUPS = [
  ["overdue", "Quá hạn", "Đã quá thời hạn mà chưa báo cáo hoàn thành."],
  ["due_soon", "Sắp đến hạn", "Thời hạn trong vài ngày làm việc tới."],
  ["open_on_time", "Còn trong hạn", ""],
  ["no_deadline", "Không có thời hạn", ""],
  ["reported", "Đã báo cáo, chờ Văn phòng xác nhận", ""],
];

export async function unitHomePage() {
  await loadUnits();
  const me = session.user.unit_id;
  const chosen = period(new URLSearchParams(location.search));
  const [tasks, extensions, summary, owed] = await Promise.all([
    all("/api/v1/tasks?state=open,reported&sort=due_on"),
    api("GET", "/api/v1/extensions?limit=20"),
    api("GET", `/api/v1/reports/summary?${periodQuery(chosen)}`),
    api("GET", `/api/v1/units/${me}/contributions`),
  ]);
  const groups = new Map(GROUPS.map(([k]) => [k, []]));
  for (const t of tasks) {
    const key = t.state === "reported" ? "reported" : t.timeliness;
    (groups.get(key) || groups.get("open_on_time")).push(t);
  }
  const counts = GROUPS.filter(([k]) => k !== "reported").map(([k, name]) => `${name}: ${numbers.format(groups.get(k).length)}`).join(" · ");
  show(unitName(me),
    statusArea(),
    h("p", { class: "lede" }, `${numbers.format(tasks.length)} nhiệm vụ đang thực hiện hoặc chờ xác nhận. ${counts}.`),
    GROUPS.map(([key, name, hint]) => {
      const list = groups.get(key);
      if (!list.length && key !== "overdue") return null;
      return h("section", { class: `group g-${key}`, "aria-labelledby": `g-${key}` },
        h("h2", { id: `g-${key}` }, `${name} (${numbers.format(list.length)})`),
        hint ? h("p", { class: "hint" }, hint) : null,
        list.length ? h("ul", { class: "plain tasks" }, list.map((t) => taskCard(t, me))) : h("p", {}, "Không có nhiệm vụ nào."));
    }),
    owedSection(owed.items),
    extensionsSection(extensions.items, new Map(tasks.map((t) => [t.id, t]))),
    h("section", { "aria-labelledby": "own-figures" },
      h("h2", { id: "own-figures" }, "Kết quả của đơn vị"),
      h("p", { class: "hint" }, `${periodWords(chosen)}. Đây là số liệu Lãnh đạo UBND tỉnh xem về đơn vị.`),
      periodForm("/unit", chosen),
      summaryTable(summary, "Tình hình thực hiện nhiệm vụ do đơn vị chủ trì")));
}

function taskCard(t, me) {
  const lead = t.lead_unit_id === me;
  return h("li", { class: "task-card" },
    h("p", { class: "task-title" }, link(`/tasks/${t.id}`, t.title)),
    h("p", { class: "task-meta" },
      h("span", { class: lead ? "role-lead" : "role-coord" }, lead ? "Chủ trì" : `Phối hợp với ${unitName(t.lead_unit_id)}`),
      " · ", t.due_on ? `Thời hạn ${date(t.due_on)}` : "Không có thời hạn",
      " · ", badge(t.timeliness),
      t.days_overdue ? ` quá ${numbers.format(t.days_overdue)} ngày` : ""),
    h("p", { class: "hint" }, `Văn bản giao: ${sourceOf(t)}`));
}

// The input the unit owes the lead units of tasks it coordinates, by its own deadlines.
function owedSection(items) {
  if (!items.length) return null;
  return h("section", { class: "group", "aria-labelledby": "owed" },
    h("h2", { id: "owed" }, `Ý kiến phối hợp cần gửi (${numbers.format(items.length)})`),
    h("p", { class: "hint" }, "Đơn vị chủ trì cần ý kiến của đơn vị trước các hạn dưới đây. Khi đã gửi, mở nhiệm vụ và bấm “Đã gửi ý kiến”."),
    h("ul", { class: "plain tasks" }, items.map((c) => h("li", { class: "task-card" },
      h("p", { class: "task-title" }, link(`/tasks/${c.task_id}`, c.task_title)),
      h("p", { class: "task-meta" }, `Gửi ý kiến cho ${c.lead_unit} trước ${date(c.due_on)}`,
        c.state === "late" ? [" · ", h("span", { class: "badge t-overdue" }, `Chậm ${numbers.format(c.days_late)} ngày`)] : "")))));
}

function extensionsSection(items, tasks) {
  return h("section", { "aria-labelledby": "own-extensions" },
    h("h2", { id: "own-extensions" }, "Đề nghị gia hạn của đơn vị"),
    items.length ? h("ul", { class: "plain" }, items.map((x) => h("li", { class: "extension" },
      link(`/tasks/${x.task_id}`, tasks.get(x.task_id)?.title ?? `Nhiệm vụ số ${x.task_id}`),
      `: đề nghị gia hạn từ ${date(x.current_due_on)} đến ${date(x.proposed_due_on)} — `,
      h("strong", {}, EXTENSION_STATE[x.state]),
      x.state === "approved" ? ` đến ${date(x.decided_due_on)}` : "",
      x.note ? ` (${x.note})` : ""))) : h("p", {}, "Đơn vị chưa có đề nghị gia hạn nào."));
}
