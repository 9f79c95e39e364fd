// The register of tasks, and one task: its facts, its history in sentences, and what the
// signed-in role may do with it now (only what the API would allow; the API decides anyway).
import {
  h, link, show, api, session, loadUnits, activeUnits, unitName, loadLeaders, loadedLeaders, leaderName, go, date, instant, numbers, badge,
  field, dateInput, today, statusArea, flash,
  STATE, TIMELINESS, EXTENSION_STATE, ApiError, conflictWords, filtersInAddress, actionForm, dateOf,
} from "./core.js";
import { unitPicker, unitOptions } from "./picker.js";

export const ASSIGNERS = ["Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh", "Chánh Văn phòng UBND tỉnh"];
const FILTERS = ["q", "unit_id", "state", "timeliness", "assigned_from", "assigned_to", "assigner", "leader_id", "key_task"];

export async function taskListPage() {
  const params = new URLSearchParams(location.search);
  const role = session.user.role;
  const [units, leaders] = await Promise.all([loadUnits(), loadLeaders()]);
  const form = h("form", { class: "panel filters", role: "search", novalidate: true },
    field("Tìm theo nội dung, số văn bản", h("input", { name: "q", value: params.get("q") || "", placeholder: "ví dụ: xay dung, 45/TB-UBND" })),
    role === "unit" ? null : field("Đơn vị", h("select", { name: "unit_id" }, h("option", { value: "" }, "Tất cả"),
      units.map((u) => h("option", { value: u.id, selected: params.get("unit_id") === String(u.id) }, u.name + (u.active ? "" : " (đã sáp nhập)"))))),
    field("Trạng thái", h("select", { name: "state" }, h("option", { value: "" }, "Tất cả"),
      Object.entries(STATE).map(([v, t]) => h("option", { value: v, selected: params.get("state") === v }, t)))),
    field("Tình trạng thời hạn", h("select", { name: "timeliness" }, h("option", { value: "" }, "Tất cả"),
      Object.entries(TIMELINESS).map(([v, t]) => h("option", { value: v, selected: params.get("timeliness") === v }, t)))),
    field("Giao từ ngày", dateInput("assigned_from", params.get("assigned_from"))),
    field("đến ngày", dateInput("assigned_to", params.get("assigned_to"))),
    field("Người giao", h("select", { name: "assigner" }, h("option", { value: "" }, "Tất cả"),
      ASSIGNERS.map((a) => h("option", { value: a, selected: params.get("assigner") === a }, a)))),
    role === "unit" ? null : field("Lãnh đạo phụ trách", h("select", { name: "leader_id" }, h("option", { value: "" }, "Tất cả"),
      leaders.map((l) => h("option", { value: l.id, selected: params.get("leader_id") === String(l.id) },
        l.id === session.user.id ? `${l.display_name} (tôi)` : l.display_name)))),
    field("Nhiệm vụ trọng tâm", h("select", { name: "key_task" }, h("option", { value: "" }, "Tất cả"),
      h("option", { value: "true", selected: params.get("key_task") === "true" }, "Chỉ nhiệm vụ trọng tâm"))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Lọc"),
      params.toString() ? link("/tasks", "Bỏ lọc") : null));
  filtersInAddress(form, "/tasks");

  const query = new URLSearchParams();
  for (const k of FILTERS) if (params.get(k)) query.set(k, params.get(k));
  // The newest first, as a register reads; or as the address asks (the dashboard's "all overdue").
  const sort = params.get("sort");
  query.set("sort", /^-?(id|due_on|assigned_on)$/.test(sort || "") ? sort : "-assigned_on");
  query.set("limit", "50");
  const count = h("p", { class: "count", role: "status" });
  const body = h("tbody");
  const table = h("table", { class: "cards" },
    h("caption", { class: "skip" }, "Danh sách nhiệm vụ"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Nhiệm vụ"), h("th", { scope: "col" }, "Văn bản giao"),
      h("th", { scope: "col" }, "Đơn vị chủ trì"), h("th", { scope: "col", class: "date" }, "Thời hạn"),
      h("th", { scope: "col" }, "Tình trạng"))),
    body);
  const more = h("div", { class: "more" });
  const tools = role === "office"
    ? h("p", { class: "actions" }, link("/tasks/new", "Giao nhiệm vụ mới"), link("/tasks/import", "Nhập từ tệp CSV"))
    : null;
  show("Danh sách nhiệm vụ", tools, form, count, table, more);

  async function page(cursor) {
    if (cursor) query.set("cursor", cursor);
    const result = await api("GET", `/api/v1/tasks?${query}`);
    count.textContent = `${numbers.format(result.total)} nhiệm vụ`;
    for (const t of result.items) body.append(taskRow(t));
    more.replaceChildren();
    if (result.next) {
      more.append(h("button", { type: "button", class: "secondary", onclick: () => page(result.next).catch(() => {}) }, "Xem thêm"));
    }
    if (result.total === 0) body.append(h("tr", {}, h("td", { colspan: 5 }, "Không có nhiệm vụ nào khớp điều kiện lọc.")));
  }
  await page(null);
}

export function sourceOf(t) {
  return t.source_ref ? `${t.source_ref}${t.source_date ? ` ngày ${date(t.source_date)}` : ""}` : "—";
}

export function keyBadge(t) {
  return t.key_task ? h("span", { class: "badge key" }, "Trọng tâm") : null;
}

export function taskRow(t, extra = null) {
  return h("tr", {},
    h("td", { "data-label": "Nhiệm vụ" }, link(`/tasks/${t.id}`, t.title), t.key_task ? " " : null, keyBadge(t), extra),
    h("td", { "data-label": "Văn bản giao" }, sourceOf(t)),
    h("td", { "data-label": "Đơn vị chủ trì" }, unitName(t.lead_unit_id)),
    h("td", { "data-label": "Thời hạn", class: "date" }, t.due_on ? date(t.due_on) : "Không có"),
    h("td", { "data-label": "Tình trạng" }, badge(t.timeliness),
      t.days_overdue ? h("span", { class: "hint" }, ` quá ${numbers.format(t.days_overdue)} ngày`) : null));
}

// An entry made after the day it took effect says so: "(có hiệu lực từ ngày 15/08/2025)". The
// instant carries the zone's offset, so its first ten characters are the local day it was entered.
function effectiveWords(e) {
  if (!e.effective_on || e.effective_on === e.at.slice(0, 10) || e.kind === "created") return null;
  return h("span", { class: "effective" }, ` (có hiệu lực từ ngày ${date(e.effective_on)})`);
}

// One history event, said as a sentence.
function eventSentence(e, task) {
  const change = (name) => e.changes.find((c) => c.field === name);
  const lead = unitName(task.lead_unit_id);
  const because = (text) => (text ? `: ${text}` : ".");
  // A decision's note is stored after the request's number ("extension request 12: …"), which
  // is for the API; a reader wants the words.
  const note = (e.note || "").replace(/^extension request \d+:? ?/, "");
  switch (e.kind) {
    case "created": {
      const due = change("due_on");
      return `${task.assigner || "UBND tỉnh"} giao ${lead} chủ trì thực hiện${due && due.to ? `, thời hạn ${date(due.to)}` : ""}.`;
    }
    case "completion_reported": {
      const ref = change("completion_ref");
      const on = change("completed_on");
      return `${lead} báo cáo hoàn thành${on && on.to ? ` ngày ${date(on.to)}` : ""}${ref && ref.to ? ` (văn bản số ${ref.to})` : ""}.`;
    }
    case "confirmed": return "Văn phòng UBND tỉnh xác nhận đã hoàn thành.";
    case "reopened": return `Văn phòng UBND tỉnh trả lại, nhiệm vụ tiếp tục thực hiện${because(e.note)}`;
    case "suspended": return `Tạm dừng thực hiện${because(e.note)}`;
    case "resumed": return `Tiếp tục thực hiện${because(e.note)}`;
    case "cancelled": return `Hủy nhiệm vụ${because(change("cancel_reason")?.to || e.note)}`;
    case "progress_note":
      // A coordinating unit's deadline or input is recorded as a note that says it all.
      return /ý kiến phối hợp/.test(e.note) ? `${e.note} (${e.actor}).` : `Báo cáo tiến độ (${e.actor}): ${e.note}`;
    case "extension_requested": {
      const proposed = change("proposed_due_on");
      return `${lead} đề nghị gia hạn đến ${proposed ? date(proposed.to) : "ngày khác"}${because(e.note)}`;
    }
    case "extension_approved": {
      const due = change("due_on");
      return `Lãnh đạo UBND tỉnh đồng ý gia hạn${due ? ` đến ${date(due.to)}` : ""}${note ? ` (${note})` : "."}`;
    }
    case "extension_rejected": return `Lãnh đạo UBND tỉnh không đồng ý gia hạn${because(note)}`;
    case "extension_withdrawn": return `Rút đề nghị gia hạn${because(note)}`;
    case "extension_closed": return `Đề nghị gia hạn tự đóng: ${note.replace(/^Tự đóng: /, "")}.`;
    case "attachment_added": {
      const to = change("attached_to");
      const what = to && to.to ? ATTACHED_TO[to.to.split(" ")[0]] : null;
      return `Đính kèm tài liệu «${e.note}»${what ? ` ${what}` : ""} (${e.actor}).`;
    }
    case "units_merged": return `Sắp xếp lại đơn vị: nhiệm vụ chuyển sang ${lead}${because(e.note)}`;
    case "updated": {
      const key = change("key_task");
      if (key && e.changes.length === 1) return key.to === "true" ? `Đánh dấu là nhiệm vụ trọng tâm${because(e.note)}` : `Bỏ đánh dấu nhiệm vụ trọng tâm${because(e.note)}`;
      const leader = change("leader_id");
      if (leader && e.changes.length === 1) return `Lãnh đạo phụ trách: ${leaderName(leader.from === null ? null : Number(leader.from))} → ${leaderName(leader.to === null ? null : Number(leader.to))}${because(e.note)}`;
      const due = change("due_on");
      if (due) return `Thời hạn đổi từ ${due.from ? date(due.from) : "không có"} thành ${due.to ? date(due.to) : "không có"}${e.note ? ` (${e.note})` : "."}`;
      return `Cập nhật thông tin nhiệm vụ${because(e.note)}`;
    }
    default: return e.note || e.kind;
  }
}

export async function taskPage(id) {
  await Promise.all([loadUnits(), loadLeaders()]);
  const [task, history, extensions, contributions, attachments] = await Promise.all([
    api("GET", `/api/v1/tasks/${id}`),
    api("GET", `/api/v1/tasks/${id}/history?limit=200`),
    api("GET", `/api/v1/tasks/${id}/extensions`),
    api("GET", `/api/v1/tasks/${id}/contributions`),
    api("GET", `/api/v1/tasks/${id}/attachments`),
  ]);
  const facts = [
    ["Mô tả chi tiết", task.description || "—"],
    ["Văn bản giao", task.source_ref ? `${sourceOf(task)}${task.source_title ? ` — ${task.source_title}` : ""}` : "—"],
    ["Người giao", task.assigner || "—"],
    ["Ngày giao", date(task.assigned_on)],
    ["Đơn vị chủ trì", unitName(task.lead_unit_id)],
    ["Đơn vị phối hợp", task.coordinating_unit_ids.length ? task.coordinating_unit_ids.map(unitName).join("; ") : "—"],
    ["Lãnh đạo phụ trách", leaderName(task.leader_id)],
    ["Thời hạn", task.due_on ? date(task.due_on) : "Không có thời hạn"],
    ["Tình trạng", [STATE[task.state] || task.state, " ", badge(task.timeliness),
      task.days_overdue ? ` quá hạn ${numbers.format(task.days_overdue)} ngày` : ""]],
  ];
  if (task.series_id) facts.push(["Nhiệm vụ định kỳ", link(`/series/${task.series_id}`, `Kỳ thứ ${task.series_index} — xem lịch và các kỳ khác`)]);
  if (task.key_task) facts.push(["Nhiệm vụ trọng tâm", keyBadge(task)]);
  if (task.priority === "urgent") facts.push(["Độ khẩn", "Khẩn"]);
  if (task.original_due_on) facts.push(["Thời hạn ban đầu", date(task.original_due_on)]);
  if (task.completed_on) facts.push(["Ngày hoàn thành", `${date(task.completed_on)}${task.completion_ref ? ` (văn bản số ${task.completion_ref})` : ""}`]);
  if (task.cancel_reason) facts.push(["Lý do hủy", task.cancel_reason]);

  const said = statusArea();
  const pending = extensions.items.find((x) => x.state === "pending");
  show(task.title,
    h("p", {}, link(session.user.role === "unit" ? "/unit" : "/tasks", session.user.role === "unit" ? "← Việc của đơn vị" : "← Danh sách nhiệm vụ")),
    said,
    h("section", { class: "panel", "aria-labelledby": "facts" },
      h("h2", { id: "facts" }, "Thông tin nhiệm vụ"),
      h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
    attachmentsPanel(task, attachments.items),
    contributionsPanel(task, contributions.items),
    extensionsPanel(task, extensions.items),
    actionsPanel(task, pending),
    h("section", { class: "panel", "aria-labelledby": "history" },
      h("h2", { id: "history" }, "Quá trình thực hiện"),
      h("ol", { class: "history" }, history.items.map((e) => h("li", {}, h("span", { class: "when" }, instant(e.at)), eventSentence(e, task), effectiveWords(e))))));
}

// ---- attached documents (tài liệu đính kèm) ----

const ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.tif,.tiff";
const KIND_WORDS = { pdf: "PDF", docx: "Word", xlsx: "Excel", png: "Ảnh PNG", jpeg: "Ảnh JPEG", tiff: "Ảnh TIFF" };
const ATTACHED_TO = { note: "kèm báo cáo tiến độ", report: "kèm báo cáo hoàn thành", extension: "kèm đề nghị gia hạn" };
const KIND_NAMES = { PDF: "tệp PDF", "Word (DOCX)": "tệp Word", "Excel (XLSX)": "tệp Excel", "PNG image": "ảnh PNG", "JPEG image": "ảnh JPEG", "TIFF image": "ảnh TIFF" };

export function fileSize(bytes) {
  if (bytes < 1024) return `${numbers.format(bytes)} byte`;
  if (bytes < 1024 * 1024) return `${new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 }).format(bytes / 1024)} KB`;
  return `${new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

// Sends one file; `to` and `ref` name what in the task it goes with. What the API refuses is
// said in words a clerk can act on.
async function upload(task, file, to = "task", ref = null) {
  const query = new URLSearchParams({ name: file.name });
  if (to !== "task") {
    query.set("to", to);
    query.set("ref", ref);
  }
  try {
    return await api("POST", `/api/v1/tasks/${task.id}/attachments?${query}`, file,
      { "Content-Type": file.type || "application/octet-stream" });
  } catch (err) {
    const detail = (err.problem && err.problem.detail) || "";
    const named = ((err.problem && err.problem.errors) || []).find((e) => e.field === "name");
    let found;
    if (err.status === 413 && (found = detail.match(/larger than (\d+) MiB/))) {
      err.words = `Tệp «${file.name}» lớn hơn ${found[1]} MB, mức tối đa cho mỗi tệp. Hãy giảm độ phân giải khi quét hoặc tách thành nhiều tệp.`;
    } else if (err.status === 413) {
      err.words = `Các tệp đính kèm của nhiệm vụ này đã gần đến mức tối đa; không thể đính kèm thêm «${file.name}».`;
    } else if (err.status === 415) {
      err.words = `Tệp «${file.name}» không phải là tệp PDF, Word (DOCX), Excel (XLSX) hay ảnh (PNG, JPEG, TIFF). Hãy lưu lại dưới một trong các dạng đó rồi đính kèm.`;
    } else if (err.status === 400 && named && (found = named.message.match(/is a (.+) but its name ends in (\.\S+);/))) {
      err.words = `Tệp «${file.name}» thực ra là ${KIND_NAMES[found[1]] || found[1]} nhưng tên có đuôi ${found[2]}. Hãy chọn đúng tệp hoặc đổi tên tệp.`;
    } else if (err.status === 400 && /empty/.test(detail)) {
      err.words = `Tệp «${file.name}» rỗng.`;
    } else if (err.status === 409 && (found = detail.match(/already, as '(.+)'$/))) {
      err.words = `Tệp này đã được đính kèm với tên «${found[1]}».`;
    }
    throw err;
  }
}

// The files chosen in a form's file box, sent one after another once the form's own change is
// made (a note, a report, a request); the first refusal stops the rest and is said.
async function uploadChosen(task, input, to, ref) {
  for (const file of input ? input.files : []) await upload(task, file, to, ref);
}
function fileField(label = "Tệp đính kèm (không bắt buộc)") {
  return field(label, h("input", { type: "file", name: "file", accept: ACCEPT, multiple: true }),
    "Văn bản scan (PDF), Word (DOCX), Excel (XLSX) hoặc ảnh (PNG, JPEG, TIFF).");
}

function attachmentsPanel(task, items) {
  const role = session.user.role;
  const involved = role === "unit" && (task.lead_unit_id === session.user.unit_id || task.coordinating_unit_ids.includes(session.user.unit_id));
  const mayAttach = role === "office" || role === "leader" || involved;
  if (!items.length && !mayAttach) return null;
  const form = mayAttach ? action("Đính kèm tài liệu", actionForm([
    fileField("Chọn tệp"),
  ], "Đính kèm", async (data, f) => {
    const input = f.querySelector("input[type=file]");
    if (!input.files.length) throw Object.assign(new Error("none"), { words: "Hãy chọn ít nhất một tệp." });
    await uploadChosen(task, input, "task");
    await reload(task, input.files.length > 1 ? `Đã đính kèm ${numbers.format(input.files.length)} tệp.` : `Đã đính kèm «${input.files[0].name}».`);
  })) : null;
  return h("section", { class: "panel", "aria-labelledby": "attachments" },
    h("h2", { id: "attachments" }, "Tài liệu đính kèm"),
    items.length ? h("ul", { class: "plain files" }, items.map((a) => h("li", {},
      h("a", { href: a.url, download: a.name }, a.name),
      h("span", { class: "hint" }, ` — ${KIND_WORDS[a.kind] || a.kind}, ${fileSize(a.size)}${ATTACHED_TO[a.attached_to] ? `, ${ATTACHED_TO[a.attached_to]}` : ""}; ${a.uploaded_by}, ${instant(a.uploaded_at)}`))))
      : h("p", {}, "Chưa có tài liệu nào."),
    form);
}

// The history event a form just made, found after it: the newest of its kind by this user.
async function newestEvent(task, kind) {
  const history = await api("GET", `/api/v1/tasks/${task.id}/history?limit=200`);
  const mine = history.items.filter((e) => e.kind === kind && e.actor === session.user.login);
  return mine.length ? mine[mine.length - 1].id : null;
}

function reload(task, message) {
  flash(message);
  return go(`/tasks/${task.id}`, true);
}

// After a form's change is made: its chosen files, attached to what it made. The change stands
// even when a file is refused; the page then says both.
async function attachAfter(task, form, to, refOf, message) {
  const input = form.querySelector("input[type=file]");
  if (input && input.files.length) {
    try {
      await uploadChosen(task, input, to, await refOf());
    } catch (err) {
      flash(`${message} Tuy nhiên, tệp đính kèm chưa được lưu: ${explainUpload(err)}`);
      return go(`/tasks/${task.id}`, true);
    }
  }
  return reload(task, message);
}
function explainUpload(err) {
  return err.words || (err.status === 0 ? "không kết nối được với máy chủ." : "hệ thống chưa xử lý được tệp.");
}

function action(summary, form) {
  return h("details", { class: "action" }, h("summary", {}, summary), form);
}

// The coordinating units' input (ý kiến phối hợp): who has sent it, who still owes it and by
// when. The Office gives each its own deadline; a coordinating unit records what it sent.
const CONTRIBUTION = {
  awaited: ["Chưa gửi ý kiến", "t-open_on_time"],
  due: ["Chưa gửi ý kiến", "t-due_soon"],
  late: ["Chậm gửi ý kiến", "t-overdue"],
  sent: ["Đã gửi ý kiến", "t-done_on_time"],
  sent_late: ["Đã gửi ý kiến, chậm", "t-done_late"],
};
function contributionsPanel(task, items) {
  if (!items.length) return null;
  const role = session.user.role;
  const live = ["open", "reported", "suspended"].includes(task.state);
  const owing = items.filter((c) => !c.sent_on).length;
  const post = (c, verb, body, message) => api("POST", `/api/v1/tasks/${task.id}/contributions/${c.unit_id}/${verb}`, body)
    .then(() => reload(task, message));
  return h("section", { class: "panel", "aria-labelledby": "contributions" },
    h("h2", { id: "contributions" }, "Ý kiến phối hợp"),
    h("p", {}, owing ? `Còn ${numbers.format(owing)}/${numbers.format(items.length)} đơn vị phối hợp chưa gửi ý kiến.` : "Các đơn vị phối hợp đã gửi đủ ý kiến."),
    h("ul", { class: "plain" }, items.map((c) => {
      const [words, tone] = CONTRIBUTION[c.state] || [c.state, ""];
      const mine = role === "unit" && c.unit_id === session.user.unit_id;
      const forms = [];
      if (live && !c.sent_on && (mine || role === "office")) {
        forms.push(action(mine ? "Đã gửi ý kiến" : "Ghi nhận đã gửi ý kiến", actionForm([
          field("Số, ký hiệu văn bản gửi ý kiến", h("input", { name: "document_ref", required: true, placeholder: "ví dụ: 88/STC-NS" })),
          field("Ngày gửi", dateInput("sent_on", today()), "Không sau hôm nay."),
          field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
        ], "Ghi nhận đã gửi ý kiến", (data) => post(c, "sent", {
          document_ref: data.get("document_ref"), sent_on: dateOf(data, "sent_on") || undefined, note: data.get("note") || undefined,
        }, "Đã ghi nhận ý kiến phối hợp; đơn vị chủ trì đã được thông báo."))));
      }
      if (live && !c.sent_on && role === "office") {
        forms.push(action(c.due_on ? "Đổi hạn gửi ý kiến" : "Đặt hạn gửi ý kiến", actionForm([
          field("Hạn gửi ý kiến", dateInput("due_on", c.due_on), task.due_on ? `Không sau thời hạn của nhiệm vụ (${date(task.due_on)}). Để trống: bỏ hạn.` : "Để trống: bỏ hạn."),
          field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
        ], "Lưu hạn gửi ý kiến", (data) => post(c, "deadline", { due_on: dateOf(data, "due_on"), note: data.get("note") || undefined },
          "Đã lưu hạn gửi ý kiến; đơn vị sẽ được nhắc trước hạn."))));
      }
      return h("li", { class: "contribution" },
        h("p", {}, h("strong", {}, c.unit_name), " ", h("span", { class: `badge ${tone}` }, words),
          c.due_on ? ` — hạn ${date(c.due_on)}` : "",
          c.state === "late" ? `, chậm ${numbers.format(c.days_late)} ngày` : "",
          c.sent_on ? ` — gửi ngày ${date(c.sent_on)}${c.sent_ref ? `, văn bản số ${c.sent_ref}` : ""}` : "",
          c.state === "sent_late" ? ` (chậm ${numbers.format(c.days_late)} ngày)` : ""),
        c.note ? h("p", { class: "hint" }, c.note) : null,
        forms.length ? h("div", { class: "decide" }, forms) : null);
    })));
}

function extensionsPanel(task, items) {
  if (!items.length) return null;
  const leader = session.user.role === "leader";
  return h("section", { class: "panel", "aria-labelledby": "extensions" },
    h("h2", { id: "extensions" }, "Đề nghị gia hạn"),
    h("ul", { class: "plain" }, items.map((x) => h("li", { class: "extension" },
      x.origin === "office"
        ? h("p", {}, h("strong", {}, "Điều chỉnh thời hạn"), ` — Văn phòng UBND tỉnh đổi thời hạn từ ${date(x.current_due_on)} thành ${date(x.decided_due_on)}`,
          x.document_ref ? ` theo văn bản số ${x.document_ref}` : "", `, ${date(x.decided_at)}`)
        : h("p", {}, h("strong", {}, EXTENSION_STATE[x.state]), ` — ${x.unit_name || unitName(x.unit_id)} đề nghị gia hạn từ ${date(x.current_due_on)} đến ${date(x.proposed_due_on)}`,
          x.document_ref ? ` (văn bản số ${x.document_ref})` : "", x.late ? " — gửi muộn" : ""),
      h("p", { class: "hint" }, `Lý do: ${x.reason}`),
      x.state === "approved" && x.origin !== "office" ? h("p", {}, `Đồng ý gia hạn đến ${date(x.decided_due_on)}, ${date(x.decided_at)}${x.note ? `: ${x.note}` : ""}`) : null,
      x.state === "rejected" ? h("p", {}, `Không đồng ý, ${date(x.decided_at)}: ${x.note}`) : null,
      x.state === "closed" ? h("p", {}, `${x.note} (${date(x.decided_at)}); không còn cần lãnh đạo quyết định.`) : null,
      leader && x.state === "pending" ? decisionForms(x, () => reload(task, "Đã ghi nhận quyết định.")) : null))));
}

// A leader's decision on one request, in one step: approve (optionally with another date) or
// reject with a note. A race with another leader (409) is said in words.
export function decisionForms(x, done) {
  const approve = actionForm([
    field("Gia hạn đến ngày", dateInput("due_on", null, { placeholder: date(x.proposed_due_on) }), `Để trống: đồng ý ngày đề nghị ${date(x.proposed_due_on)}.`),
    field("Ý kiến (không bắt buộc)", h("input", { name: "note" })),
  ], "Đồng ý gia hạn", async (data) => {
    const body = {};
    const due = dateOf(data, "due_on");
    if (due) body.due_on = due;
    if (data.get("note")) body.note = data.get("note");
    await decide(x, "approve", body, done);
  });
  const reject = actionForm([
    field("Lý do không đồng ý", h("textarea", { name: "note", rows: 2, required: true })),
  ], "Không đồng ý", async (data) => decide(x, "reject", { note: data.get("note") }, done), { danger: true });
  return h("div", { class: "decide" }, action("Đồng ý", approve), action("Không đồng ý", reject));
}
async function decide(x, verb, body, done) {
  try {
    await api("POST", `/api/v1/extensions/${x.id}/${verb}`, body);
  } catch (err) {
    if (err.status !== 409) throw err;
    // Someone was quicker, or the task moved on: say which, from the request as it is now.
    const now = await api("GET", `/api/v1/extensions/${x.id}`).catch(() => null);
    err.words = now && now.state !== "pending"
      ? `Đề nghị này đã được xử lý trước đó: ${EXTENSION_STATE[now.state].toLowerCase()}${now.decided_by ? ` (${now.decided_by}, lúc ${instant(now.decided_at)})` : ""}. Hãy tải lại trang để xem tình trạng mới nhất.`
      : `Không thực hiện được: ${conflictWords(err.problem.detail)}`;
    throw err;
  }
  return done();
}

function actionsPanel(task, pending) {
  const role = session.user.role;
  const mine = role === "unit" && task.lead_unit_id === session.user.unit_id;
  const involved = mine || (role === "unit" && task.coordinating_unit_ids.includes(session.user.unit_id));
  const live = ["open", "reported", "suspended"].includes(task.state);
  const list = [];
  const post = (verb, body, message) => api("POST", `/api/v1/tasks/${task.id}/${verb}`, body).then(() => reload(task, message));

  if (mine && task.state === "open") {
    list.push(action("Báo cáo hoàn thành", actionForm([
      field("Ngày hoàn thành", dateInput("completed_on", today()), "Ngày của văn bản báo cáo; không sau hôm nay."),
      field("Số, ký hiệu văn bản báo cáo", h("input", { name: "completion_ref", placeholder: "ví dụ: 125/BC-SXD" })),
      field("Ghi chú (không bắt buộc)", h("textarea", { name: "note", rows: 2 })),
      fileField("Văn bản báo cáo (không bắt buộc)"),
    ], "Gửi báo cáo hoàn thành", async (data, form) => {
      await api("POST", `/api/v1/tasks/${task.id}/report`, {
        completed_on: dateOf(data, "completed_on") || undefined,
        completion_ref: data.get("completion_ref") || undefined, note: data.get("note") || undefined,
      });
      await attachAfter(task, form, "report", () => newestEvent(task, "completion_reported"),
        "Đã gửi báo cáo hoàn thành. Văn phòng UBND tỉnh sẽ xác nhận.");
    })));
  }
  if (role === "office" || role === "leader") {
    const marking = !task.key_task;
    list.push(action(marking ? "Đánh dấu trọng tâm" : "Bỏ đánh dấu trọng tâm", actionForm([
      h("p", { class: "hint" }, marking
        ? "Nhiệm vụ trọng tâm được lãnh đạo theo dõi riêng: có mục riêng trên trang tổng quan và trong báo cáo."
        : "Nhiệm vụ trở lại là nhiệm vụ thường."),
      field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
    ], marking ? "Đánh dấu là nhiệm vụ trọng tâm" : "Bỏ đánh dấu", (data) => post(marking ? "mark-key" : "unmark-key",
      { note: data.get("note") || undefined },
      marking ? "Đã đánh dấu là nhiệm vụ trọng tâm." : "Đã bỏ đánh dấu nhiệm vụ trọng tâm."))));
  }
  if ((involved || role === "office") && live) {
    list.push(action("Báo cáo tiến độ", actionForm([
      field("Nội dung tiến độ", h("textarea", { name: "note", rows: 3, required: true })),
      fileField(),
    ], "Ghi nhận tiến độ", async (data, form) => {
      await api("POST", `/api/v1/tasks/${task.id}/notes`, { note: data.get("note") });
      await attachAfter(task, form, "note", () => newestEvent(task, "progress_note"), "Đã ghi nhận báo cáo tiến độ.");
    })));
  }
  if ((mine || role === "office") && task.state === "open" && task.due_on && !pending) {
    list.push(action("Đề nghị gia hạn", actionForm([
      field("Đề nghị gia hạn đến ngày", dateInput("proposed_due_on", null, { required: true }), `Thời hạn hiện tại: ${date(task.due_on)}.`),
      field("Lý do", h("textarea", { name: "reason", rows: 3, required: true })),
      field("Số, ký hiệu văn bản đề nghị", h("input", { name: "document_ref", placeholder: "ví dụ: 210/SXD-VP" })),
      fileField("Văn bản đề nghị (không bắt buộc)"),
    ], "Gửi đề nghị gia hạn", async (data, form) => {
      const proposed = dateOf(data, "proposed_due_on");
      if (!proposed) throw Object.assign(new Error("empty"), { dateField: "proposed_due_on" });
      const made = await api("POST", `/api/v1/tasks/${task.id}/extensions`,
        { proposed_due_on: proposed, reason: data.get("reason"), document_ref: data.get("document_ref") || undefined });
      await attachAfter(task, form, "extension", async () => made.id, "Đã gửi đề nghị gia hạn. Lãnh đạo UBND tỉnh sẽ xem xét.");
    })));
  }
  if (pending && (mine || role === "office")) {
    list.push(action("Rút đề nghị gia hạn", actionForm([
      field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
    ], "Rút đề nghị", (data) => api("POST", `/api/v1/extensions/${pending.id}/withdraw`, { note: data.get("note") || undefined })
      .then(() => reload(task, "Đã rút đề nghị gia hạn.")))));
  }
  if (role === "office") {
    if (task.state === "reported" || task.state === "open") {
      list.push(action(task.state === "reported" ? "Xác nhận hoàn thành" : "Ghi nhận đã hoàn thành", actionForm([
        task.state === "open" ? field("Ngày hoàn thành", dateInput("completed_on", today(), { required: true })) : null,
        task.state === "open" ? field("Số, ký hiệu văn bản báo cáo", h("input", { name: "completion_ref" })) : null,
        field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
      ], "Xác nhận hoàn thành", (data) => post("confirm", {
        completed_on: task.state === "open" ? dateOf(data, "completed_on") : undefined,
        completion_ref: data.get("completion_ref") || undefined, note: data.get("note") || undefined,
      }, "Đã xác nhận hoàn thành."))));
    }
    if (task.state === "reported" || task.state === "done") {
      list.push(action("Trả lại, chưa hoàn thành", actionForm([
        field("Lý do trả lại", h("textarea", { name: "note", rows: 2, required: true })),
      ], "Trả lại", (data) => post("reopen", { note: data.get("note") }, "Đã trả lại; nhiệm vụ tiếp tục thực hiện."), { danger: true })));
    }
    if (task.state === "open" || task.state === "reported") {
      list.push(action("Tạm dừng", actionForm([
        field("Lý do tạm dừng", h("textarea", { name: "note", rows: 2, required: true })),
      ], "Tạm dừng", (data) => post("suspend", { note: data.get("note") }, "Đã tạm dừng nhiệm vụ."))));
    }
    if (task.state === "suspended") {
      list.push(action("Tiếp tục thực hiện", actionForm([
        field("Ghi chú (không bắt buộc)", h("input", { name: "note" })),
      ], "Tiếp tục", (data) => post("resume", { note: data.get("note") || undefined }, "Nhiệm vụ tiếp tục thực hiện."))));
    }
    if (live) {
      list.push(action("Sửa thông tin", editForm(task)));
      list.push(action("Hủy nhiệm vụ", actionForm([
        field("Lý do hủy", h("textarea", { name: "reason", rows: 2, required: true })),
      ], "Hủy nhiệm vụ", (data) => post("cancel", { reason: data.get("reason") }, "Đã hủy nhiệm vụ."), { danger: true })));
    }
  }
  if (!list.length) return null;
  return h("section", { class: "panel", "aria-labelledby": "actions" }, h("h2", { id: "actions" }, "Thao tác"), list);
}

// What a field of a task is called, and how its value reads, for "what changed meanwhile".
const FIELD_WORDS = {
  title: "Nội dung nhiệm vụ", description: "Mô tả", source_ref: "Số văn bản", source_date: "Ngày văn bản",
  source_title: "Trích yếu", assigner: "Người giao", assigned_on: "Ngày giao", lead_unit_id: "Đơn vị chủ trì",
  coordinating_unit_ids: "Đơn vị phối hợp", due_on: "Thời hạn", priority: "Độ khẩn", state: "Trạng thái",
  leader_id: "Lãnh đạo phụ trách", key_task: "Nhiệm vụ trọng tâm",
};
function reads(name, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "(trống)";
  if (name === "lead_unit_id") return unitName(value);
  if (name === "coordinating_unit_ids") return value.map(unitName).join("; ");
  if (name === "leader_id") return leaderName(value);
  if (name === "key_task") return value ? "Có" : "Không";
  if (name.endsWith("_on") || name === "source_date") return date(value);
  if (name === "priority") return value === "urgent" ? "Khẩn" : "Thường";
  if (name === "state") return STATE[value];
  return String(value);
}
function differences(before, after) {
  return Object.keys(FIELD_WORDS).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${FIELD_WORDS[k]}: ${reads(k, before[k])} → ${reads(k, after[k])}`);
}

// The leaders, to choose who is in charge of a task; "" stands for nobody (or, for a new task,
// the lead unit's leader in charge).
export function leaderSelect(chosen, noneWords = "Chưa phân công") {
  return h("select", { name: "leader_id" }, h("option", { value: "" }, noneWords),
    loadedLeaders().map((l) => h("option", { value: l.id, selected: chosen === l.id }, l.display_name)));
}

// Editing with the ETag of the version read: if someone else changed the task meanwhile (412),
// the page says what they changed and offers to apply this edit on top of their version.
function editForm(task) {
  let base = task;
  const lead = unitPicker({ name: "lead_unit_id", label: "Đơn vị chủ trì", options: unitOptions(activeUnits()), chosen: [task.lead_unit_id], required: true });
  const coordinating = unitPicker({ name: "coordinating_unit_ids", label: "Đơn vị phối hợp", options: unitOptions(activeUnits()), chosen: task.coordinating_unit_ids, multiple: true });
  const conflict = h("div", { role: "alert" });
  const form = actionForm([
    conflict,
    field("Nội dung nhiệm vụ", h("textarea", { name: "title", rows: 2, required: true }, task.title)),
    field("Mô tả", h("textarea", { name: "description", rows: 2 }, task.description)),
    lead.element, coordinating.element,
    field("Thời hạn", dateInput("due_on", task.due_on), task.due_on
      ? "Đổi thời hạn cần ghi lý do và văn bản quyết định; được tính là một lần gia hạn nếu lùi hạn."
      : "Để trống: không có thời hạn."),
    field("Lãnh đạo phụ trách", leaderSelect(task.leader_id)),
    field("Lý do thay đổi", h("input", { name: "note" }), task.due_on ? "Bắt buộc khi đổi thời hạn." : null),
    task.due_on ? field("Văn bản quyết định đổi thời hạn", h("input", { name: "decision_ref", placeholder: "ví dụ: 130/TB-UBND" }),
      "Số, ký hiệu văn bản của lãnh đạo cho phép đổi thời hạn. Chỉ ghi khi đổi thời hạn.") : null,
  ], "Lưu thay đổi", async (data) => {
    const want = {
      title: data.get("title"), description: data.get("description"),
      lead_unit_id: lead.values()[0], coordinating_unit_ids: coordinating.values(), due_on: dateOf(data, "due_on"),
      leader_id: data.get("leader_id") ? Number(data.get("leader_id")) : null,
    };
    if (!want.lead_unit_id) throw new ApiError(400, { errors: [{ field: "lead_unit_id", message: "is required" }] });
    const patch = {};
    for (const [k, v] of Object.entries(want)) if (JSON.stringify(v ?? null) !== JSON.stringify(base[k] ?? null)) patch[k] = v;
    if (!Object.keys(patch).length) return reload(task, "Không có gì thay đổi.");
    if (data.get("note")) patch.note = data.get("note");
    if ("due_on" in patch && data.get("decision_ref")) patch.decision_ref = data.get("decision_ref");
    try {
      await api("PATCH", `/api/v1/tasks/${task.id}`, patch, { "If-Match": base.etag });
    } catch (err) {
      if (err.status !== 412) throw err;
      const now = await api("GET", `/api/v1/tasks/${task.id}`);
      const changed = differences(base, now);
      // The fields this person left alone take the other person's values; their own edits stay.
      const same = (k) => JSON.stringify(want[k] ?? null) === JSON.stringify(base[k] ?? null);
      const form = conflict.closest("form");
      if (same("title")) form.querySelector("[name=title]").value = now.title;
      if (same("description")) form.querySelector("[name=description]").value = now.description || "";
      if (same("lead_unit_id")) lead.set([now.lead_unit_id]);
      if (same("coordinating_unit_ids")) coordinating.set(now.coordinating_unit_ids);
      if (same("due_on")) form.querySelector("[name=due_on]").value = now.due_on ? date(now.due_on) : "";
      if (same("leader_id")) form.querySelector("[name=leader_id]").value = now.leader_id ?? "";
      base = now;  // the next save is made on top of what the other person saved
      conflict.replaceChildren(h("div", { class: "notice error" },
        h("p", {}, "Trong lúc bạn sửa, người khác đã thay đổi nhiệm vụ này. Thay đổi của bạn chưa được lưu."),
        changed.length ? h("ul", {}, changed.map((c) => h("li", {}, c))) : null,
        h("p", {}, "Các trường bạn chưa sửa đã được cập nhật theo bản mới; phần bạn sửa vẫn giữ nguyên. Kiểm tra lại rồi bấm “Lưu thay đổi” để lưu lên bản mới này.")));
      conflict.focus();
      return;
    }
    return reload(task, "Đã lưu thay đổi.");
  });
  conflict.setAttribute("tabindex", "-1");
  return form;
}
