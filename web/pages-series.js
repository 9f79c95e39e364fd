// Periodic tasks (nhiệm vụ định kỳ): the list of series, starting one (the Office), and one
// series with its rule in words, the tasks it has made, the deadlines ahead, and (the Office)
// changing it from one of its tasks on or stopping it. Each task of a series is an ordinary task.
import {
  h, link, show, api, session, loadUnits, activeUnits, unitName, loadLeaders, leaderName, go, date, numbers, badge,
  field, dateInput, today, statusArea, flash, STATE, actionForm, dateOf, explain, clearFieldErrors, markField, BAD_DATE,
} from "./core.js";
import { unitPicker, unitOptions } from "./picker.js";
import { ASSIGNERS } from "./pages-tasks.js";

const FREQUENCY = { monthly: "Hằng tháng", quarterly: "Hằng quý", half_yearly: "6 tháng một lần", yearly: "Hằng năm" };
const MONTHS_IN_PERIOD = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };
const DAY_OFF = {
  keep: "Giữ nguyên ngày đó",
  previous: "Chuyển về ngày làm việc liền trước",
  next: "Chuyển sang ngày làm việc liền sau",
};
const SERIES_STATE = { active: "Đang áp dụng", stopped: "Đã dừng", finished: "Đã hết kỳ" };

// "Hằng quý, tháng thứ 3 của quý, ngày 20 (trùng ngày nghỉ: chuyển về ngày làm việc liền trước)".
export function ruleInWords(rule) {
  const parts = [FREQUENCY[rule.frequency] || rule.frequency];
  if (rule.frequency === "yearly") parts.push(`tháng ${rule.month_of_period}`);
  else if (rule.frequency !== "monthly") {
    parts.push(`tháng thứ ${rule.month_of_period} của ${rule.frequency === "quarterly" ? "quý" : "kỳ 6 tháng"}`);
  }
  let day = rule.day_rule === "working_day" ? `hạn vào ngày làm việc thứ ${rule.day} của tháng` : `hạn ngày ${rule.day}`;
  if (rule.day_rule === "day_of_month" && rule.day > 28) day += " (tháng ngắn hơn: ngày cuối tháng)";
  if (rule.day_rule === "day_of_month" && rule.on_day_off !== "keep") {
    day += `; trùng ngày nghỉ: ${DAY_OFF[rule.on_day_off].toLowerCase()}`;
  }
  parts.push(day);
  let words = parts.join(", ");
  const limits = [];
  if (rule.ends_on) limits.push(`đến ${date(rule.ends_on)}`);
  if (rule.count) limits.push(`tối đa ${numbers.format(rule.count)} kỳ`);
  words += `. Bắt đầu từ ${date(rule.starts_on)}${limits.length ? `, ${limits.join(", ")}` : ""}.`;
  return words;
}

// The rule's controls, named as the API's fields ("rule.day") so its errors land on them.
function ruleFields(rule = { frequency: "monthly", month_of_period: 1, day_rule: "day_of_month", day: 20, on_day_off: "previous" }) {
  const frequency = h("select", { name: "rule.frequency" },
    Object.entries(FREQUENCY).map(([v, t]) => h("option", { value: v, selected: rule.frequency === v }, t)));
  const month = h("select", { name: "rule.month_of_period" });
  const dayRule = h("select", { name: "rule.day_rule" },
    h("option", { value: "day_of_month", selected: rule.day_rule === "day_of_month" }, "Một ngày trong tháng (ví dụ ngày 20)"),
    h("option", { value: "working_day", selected: rule.day_rule === "working_day" }, "Ngày làm việc thứ N của tháng"));
  const day = h("input", { name: "rule.day", type: "number", min: 1, max: 31, inputmode: "numeric", value: rule.day, required: true });
  const dayOff = h("select", { name: "rule.on_day_off" },
    Object.entries(DAY_OFF).map(([v, t]) => h("option", { value: v, selected: rule.on_day_off === v }, t)));
  const monthField = field("Tháng có hạn trong kỳ", month);
  const dayOffField = field("Nếu ngày đó là ngày nghỉ", dayOff);
  function redraw() {
    const n = MONTHS_IN_PERIOD[frequency.value];
    const chosen = Number(month.value || rule.month_of_period || 1);
    month.replaceChildren(...Array.from({ length: n }, (_, i) => h("option", { value: i + 1, selected: i + 1 === Math.min(chosen, n) },
      frequency.value === "yearly" ? `Tháng ${i + 1}` : `Tháng thứ ${i + 1} của kỳ`)));
    monthField.hidden = n === 1;
    dayOffField.hidden = dayRule.value !== "day_of_month";
    day.max = dayRule.value === "working_day" ? 23 : 31;
  }
  frequency.addEventListener("change", redraw);
  dayRule.addEventListener("change", redraw);
  redraw();
  return {
    element: h("div", { class: "grid" }, field("Tần suất", frequency), monthField, field("Cách tính hạn", dayRule),
      field("Ngày", day, "Ngày trong tháng (1–31; tháng ngắn hơn lấy ngày cuối tháng) hoặc thứ tự ngày làm việc (1–23)."), dayOffField),
    value() {
      return {
        frequency: frequency.value,
        month_of_period: MONTHS_IN_PERIOD[frequency.value] === 1 ? 1 : Number(month.value),
        day_rule: dayRule.value,
        day: Number(day.value),
        on_day_off: dayRule.value === "day_of_month" ? dayOff.value : "keep",
      };
    },
  };
}

function stateBadge(s) {
  return h("span", { class: `badge ${s.state === "active" ? "on_time" : "done"}` }, SERIES_STATE[s.state] || s.state);
}

export async function seriesListPage() {
  await loadUnits();
  const params = new URLSearchParams(location.search);
  const state = params.get("state") ?? "active";
  const result = await api("GET", `/api/v1/series?limit=200${state ? `&state=${encodeURIComponent(state)}` : ""}`);
  const choose = h("form", { class: "panel filters", role: "search" },
    field("Tình trạng", h("select", { name: "state", onchange: (e) => go(`/series?state=${e.target.value}`) },
      h("option", { value: "", selected: !state }, "Tất cả"),
      Object.entries(SERIES_STATE).map(([v, t]) => h("option", { value: v, selected: state === v }, t)))));
  choose.addEventListener("submit", (e) => e.preventDefault());
  const rows = result.items.map((s) => h("tr", {},
    h("th", { scope: "row" }, link(`/series/${s.id}`, s.title)),
    h("td", { "data-label": "Văn bản" }, s.source_ref || "—"),
    h("td", { "data-label": "Đơn vị chủ trì" }, unitName(s.lead_unit_id)),
    h("td", { "data-label": "Lịch" }, ruleInWords(s.rule)),
    h("td", { "data-label": "Hạn kế tiếp", class: "date" }, s.upcoming.length ? date(s.upcoming[0].due_on) : "—"),
    h("td", { "data-label": "Tình trạng" }, stateBadge(s))));
  show("Nhiệm vụ định kỳ",
    h("p", { class: "hint" }, "Mỗi kỳ của một nhiệm vụ định kỳ là một nhiệm vụ riêng, có thời hạn, nhắc hạn và được tính trong báo cáo như mọi nhiệm vụ khác."),
    session.user.role === "office" ? h("p", { class: "actions" }, link("/series/new", "Tạo nhiệm vụ định kỳ")) : null,
    statusArea(), choose,
    h("p", { class: "count", role: "status" }, `${numbers.format(result.total)} nhiệm vụ định kỳ`),
    h("table", { class: "cards" },
      h("caption", { class: "skip" }, "Danh sách nhiệm vụ định kỳ"),
      h("thead", {}, h("tr", {}, ["Nhiệm vụ", "Văn bản", "Đơn vị chủ trì", "Lịch", "Hạn kế tiếp", "Tình trạng"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6 }, "Chưa có nhiệm vụ định kỳ nào.")))));
}

export async function seriesNewPage() {
  const [, leaders] = await Promise.all([loadUnits(), loadLeaders()]);
  const options = unitOptions(activeUnits());
  const lead = unitPicker({ name: "lead_unit_id", label: "Đơn vị chủ trì", options, required: true });
  const coordinating = unitPicker({ name: "coordinating_unit_ids", label: "Đơn vị phối hợp", options, multiple: true });
  const rule = ruleFields();
  const said = statusArea();
  const form = h("form", { novalidate: true },
    h("fieldset", { class: "panel" }, h("legend", {}, "Nội dung"),
      field("Nội dung nhiệm vụ", h("textarea", { name: "title", rows: 2, required: true, placeholder: "ví dụ: Báo cáo tình hình giải ngân vốn đầu tư công" })),
      h("div", { class: "grid" },
        field("Số, ký hiệu văn bản", h("input", { name: "source_ref", placeholder: "ví dụ: 12/CT-UBND" })),
        field("Ngày văn bản", dateInput("source_date", null)),
        field("Người giao", h("input", { name: "assigner", list: "series-assigners", value: ASSIGNERS[0] }))),
      field("Trích yếu văn bản", h("input", { name: "source_title" })),
      h("datalist", { id: "series-assigners" }, ASSIGNERS.map((a) => h("option", { value: a }))),
      h("div", { class: "grid" }, lead.element, coordinating.element),
      h("div", { class: "grid" },
        field("Lãnh đạo phụ trách", h("select", { name: "leader_id" }, h("option", { value: "" }, "Theo đơn vị chủ trì"),
          leaders.map((l) => h("option", { value: l.id }, l.display_name)))),
        h("div", { class: "check" }, h("input", { type: "checkbox", name: "urgent", id: "series-urgent" }), h("label", { for: "series-urgent" }, "Khẩn")),
        h("div", { class: "check" }, h("input", { type: "checkbox", name: "key_task", id: "series-key" }), h("label", { for: "series-key" }, "Nhiệm vụ trọng tâm")))),
    h("fieldset", { class: "panel" }, h("legend", {}, "Lịch thực hiện"), rule.element,
      h("div", { class: "grid" },
        field("Bắt đầu từ ngày", dateInput("starts_on", today()), "Kỳ đầu tiên là kỳ có hạn từ ngày này trở đi."),
        field("Kết thúc sau ngày (không bắt buộc)", dateInput("rule.ends_on", null)),
        field("Số kỳ tối đa (không bắt buộc)", h("input", { name: "rule.count", type: "number", min: 1, inputmode: "numeric" })))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Tạo nhiệm vụ định kỳ"), link("/series", "Quay lại")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    said.replaceChildren();
    const data = new FormData(form);
    const body = {
      title: String(data.get("title")).trim(),
      source_ref: String(data.get("source_ref")).trim(),
      source_title: String(data.get("source_title")).trim(),
      assigner: String(data.get("assigner")).trim(),
      lead_unit_id: lead.values()[0],
      coordinating_unit_ids: coordinating.values(),
      priority: data.get("urgent") ? "urgent" : "normal",
      key_task: Boolean(data.get("key_task")),
      rule: rule.value(),
    };
    if (data.get("leader_id")) body.leader_id = Number(data.get("leader_id"));
    if (!body.title) markField(form.querySelector("[name=title]"), "Vui lòng nhập nội dung nhiệm vụ.");
    if (!body.lead_unit_id) markField(lead.input, "Vui lòng chọn đơn vị chủ trì.");
    if (!body.rule.day) markField(form.querySelector("[name='rule.day']"), "Vui lòng nhập ngày.");
    try {
      const sourceDate = dateOf(data, "source_date");
      if (sourceDate) body.source_date = sourceDate;
      const starts = dateOf(data, "starts_on");
      if (starts) body.starts_on = starts;
      const ends = dateOf(data, "rule.ends_on");
      if (ends) body.rule.ends_on = ends;
    } catch (err) {
      markField(form.querySelector(`[name="${err.dateField}"]`), BAD_DATE);
    }
    if (data.get("rule.count")) body.rule.count = Number(data.get("rule.count"));
    if (form.querySelector("[aria-invalid]")) {
      form.querySelector("[aria-invalid]").focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const s = await api("POST", "/api/v1/series", body);
      flash(s.tasks.length
        ? `Đã tạo nhiệm vụ định kỳ và giao ${numbers.format(s.tasks.length)} kỳ đầu tiên.`
        : "Đã tạo nhiệm vụ định kỳ; các kỳ sẽ được giao khi đến lịch.");
      go(`/series/${s.id}`);
    } catch (err) {
      said.replaceChildren(h("p", { class: "notice error" }, explain(err, form)));
      form.querySelector("[aria-invalid]")?.focus();
    } finally {
      button.disabled = false;
    }
  });
  show("Tạo nhiệm vụ định kỳ",
    h("p", { class: "hint" }, "Ví dụ: “Báo cáo tình hình … trước ngày 20 hằng tháng”, “báo cáo quý”, “ngày làm việc thứ 5 hằng tháng”. Mỗi kỳ được giao thành một nhiệm vụ riêng vào đầu kỳ."),
    said, form);
}

export async function seriesPage(id) {
  await Promise.all([loadUnits(), loadLeaders()]);
  const s = await api("GET", `/api/v1/series/${id}`);
  const facts = [
    ["Lịch", ruleInWords(s.rule)],
    ["Văn bản giao", s.source_ref ? `${s.source_ref}${s.source_date ? ` ngày ${date(s.source_date)}` : ""}${s.source_title ? ` — ${s.source_title}` : ""}` : "—"],
    ["Đơn vị chủ trì", unitName(s.lead_unit_id)],
    ["Đơn vị phối hợp", s.coordinating_unit_ids.length ? s.coordinating_unit_ids.map(unitName).join("; ") : "—"],
    ["Lãnh đạo phụ trách", leaderName(s.leader_id)],
    ["Tình trạng", stateBadge(s)],
  ];
  if (s.stop_note) facts.push(["Lý do dừng", s.stop_note]);
  const tasks = h("table", { class: "cards" },
    h("caption", { class: "skip" }, "Các kỳ đã giao"),
    h("thead", {}, h("tr", {}, ["Kỳ", "Ngày giao", "Thời hạn", "Tình trạng"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, s.tasks.length ? [...s.tasks].reverse().map((t) => h("tr", {},
      h("th", { scope: "row" }, link(`/tasks/${t.id}`, `Kỳ thứ ${t.series_index}`)),
      h("td", { "data-label": "Ngày giao" }, date(t.assigned_on)),
      h("td", { "data-label": "Thời hạn", class: "date" }, t.due_on ? date(t.due_on) : "—"),
      h("td", { "data-label": "Tình trạng" }, STATE[t.state] || t.state, " ", badge(t.timeliness))))
      : h("tr", {}, h("td", { colspan: 4 }, "Chưa đến kỳ nào."))));
  const upcoming = s.upcoming.length
    ? h("ul", { class: "plain upcoming" }, s.upcoming.map((o, i) => h("li", {},
      `Kỳ thứ ${s.last_index + i + 1}: hạn ${date(o.due_on)} (giao ngày ${date(o.assigned_on)})`)))
    : h("p", {}, "Không còn kỳ nào.");
  show(s.title,
    h("p", {}, link("/series", "← Nhiệm vụ định kỳ")),
    statusArea(),
    h("section", { class: "panel", "aria-labelledby": "series-facts" },
      h("h2", { id: "series-facts" }, "Thông tin"),
      h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
    h("section", { class: "panel", "aria-labelledby": "series-tasks" }, h("h2", { id: "series-tasks" }, "Các kỳ đã giao"), tasks),
    h("section", { class: "panel", "aria-labelledby": "series-next" }, h("h2", { id: "series-next" }, "Các kỳ sắp tới"), upcoming),
    session.user.role === "office" && s.state !== "stopped" ? changePanel(s) : null);
}

// The Office changes the series from one of its tasks on, or stops it.
function changePanel(s) {
  const open = s.tasks.filter((t) => t.state !== "done" && t.state !== "cancelled");
  const rule = ruleFields(s.rule);
  const from = open.length
    ? field("Áp dụng từ kỳ", h("select", { name: "from_task_id" }, open.map((t) =>
      h("option", { value: t.id }, `Kỳ thứ ${t.series_index} (hạn ${date(t.due_on)})`))), "Các kỳ trước giữ nguyên như đã giao.")
    : null;
  const change = actionForm([
    from,
    field("Nội dung nhiệm vụ", h("textarea", { name: "title", rows: 2 }, s.title)),
    rule.element,
    field("Lý do thay đổi", h("textarea", { name: "note", rows: 2, required: true })),
    field("Văn bản quyết định (nếu đổi thời hạn kỳ đã giao)", h("input", { name: "decision_ref", placeholder: "ví dụ: 120/TB-UBND" })),
  ], "Lưu thay đổi", async (data, form) => {
    const body = { note: String(data.get("note")).trim() };
    if (data.get("from_task_id")) body.from_task_id = Number(data.get("from_task_id"));
    const title = String(data.get("title")).trim();
    if (title !== s.title) body.title = title;
    const next = rule.value();
    const old = { frequency: s.rule.frequency, month_of_period: s.rule.month_of_period, day_rule: s.rule.day_rule, day: s.rule.day, on_day_off: s.rule.on_day_off };
    if (JSON.stringify(next) !== JSON.stringify(old)) {
      body.rule = { ...next, ends_on: s.rule.ends_on, count: s.rule.count };
    }
    if (data.get("decision_ref")) body.decision_ref = String(data.get("decision_ref")).trim();
    if (!body.note) {
      markField(form.querySelector("[name=note]"), "Vui lòng ghi lý do thay đổi.");
      return;
    }
    await api("PATCH", `/api/v1/series/${s.id}`, body, { "If-Match": s.etag });
    flash("Đã lưu thay đổi nhiệm vụ định kỳ.");
    go(`/series/${s.id}`, true);
  });
  const stop = actionForm([
    field("Lý do dừng", h("textarea", { name: "note", rows: 2, required: true }), "Các kỳ chưa đến ngày giao sẽ bị hủy; các kỳ đã giao vẫn tiếp tục."),
  ], "Dừng nhiệm vụ định kỳ", async (data, form) => {
    const note = String(data.get("note")).trim();
    if (!note) {
      markField(form.querySelector("[name=note]"), "Vui lòng ghi lý do dừng.");
      return;
    }
    await api("POST", `/api/v1/series/${s.id}/stop`, { note }, { "If-Match": s.etag });
    flash("Đã dừng nhiệm vụ định kỳ.");
    go(`/series/${s.id}`, true);
  }, { danger: true });
  return h("section", { class: "panel", "aria-labelledby": "series-change" },
    h("h2", { id: "series-change" }, "Điều chỉnh"),
    h("details", { class: "action" }, h("summary", {}, "Thay đổi từ một kỳ"), change),
    h("details", { class: "action" }, h("summary", {}, "Dừng nhiệm vụ định kỳ"), stop));
}
