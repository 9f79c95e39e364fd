// The Office registers tasks: several from one source document at once, or a whole register
// from a CSV file. Both go through the one import path (POST /api/v1/tasks/import): checked
// whole first, then all registered in one transaction or none; a dry run computes each
// deadline ("10 ngày làm việc" → a date, with the province's working calendar) before saving.
import {
  h, link, show, api, loadLeaders, loadUnits, activeUnits, date, today, numbers, field, dateInput, parseDate,
  statusArea, say, explain, clearFieldErrors, markField, fieldMessage, ApiError, BAD_DATE,
} from "./core.js";
import { unitPicker, unitOptions } from "./picker.js";
import { ASSIGNERS } from "./pages-tasks.js";

const CSV_TYPE = { "Content-Type": "text/csv; charset=utf-8" };

function csvCell(value) {
  return `"${String(value ?? "").replace(/"/g, '""')}"`;
}
function csv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
function importTasks(body, dryRun) {
  return api("POST", `/api/v1/tasks/import${dryRun ? "?dry_run=true" : ""}`, body, CSV_TYPE);
}

// A deadline as the Office writes it: a date, "10 ngày làm việc", "30 ngày", or nothing.
function deadlineProblem(text) {
  const t = text.trim();
  if (!t || parseDate(t) || /^\d{1,4}\s*ngày(\s*làm\s*việc)?$/i.test(t)) return null;
  return "Viết một ngày (dd/mm/yyyy) hoặc một số ngày, ví dụ “10 ngày làm việc”.";
}

const DOCUMENT_FIELDS = ["source_ref", "source_date", "source_title", "assigner", "assigned_on"];
const HEADER = [...DOCUMENT_FIELDS, "title", "lead_unit", "coordinating_units", "deadline", "priority", "leader", "key_task"];

export async function registerPage() {
  const [, leaders] = await Promise.all([loadUnits(), loadLeaders()]);
  const loginOf = new Map(leaders.map((l) => [String(l.id), l.login]));
  const options = unitOptions(activeUnits());
  const codeOf = new Map(activeUnits().map((u) => [u.id, u.code]));
  const said = statusArea();
  const rows = [];
  const list = h("ol", { class: "task-rows" });

  const documentPart = h("fieldset", { class: "panel" }, h("legend", {}, "Văn bản giao nhiệm vụ"),
    h("div", { class: "grid" },
      field("Số, ký hiệu văn bản", h("input", { name: "source_ref", placeholder: "ví dụ: 45/TB-UBND" })),
      field("Ngày văn bản", dateInput("source_date", null)),
      field("Người giao", h("input", { name: "assigner", list: "assigners", value: ASSIGNERS[0] })),
      field("Ngày giao", dateInput("assigned_on", today()), "Thời hạn tính theo ngày làm việc được đếm từ ngày sau ngày giao.")),
    field("Trích yếu văn bản", h("input", { name: "source_title", placeholder: "ví dụ: Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp…" })),
    h("datalist", { id: "assigners" }, ASSIGNERS.map((a) => h("option", { value: a }))));

  function addRow() {
    const n = rows.length + 1;
    const lead = unitPicker({ name: `lead_unit_${n}`, label: "Đơn vị chủ trì", options, required: true });
    const coordinating = unitPicker({ name: `coordinating_units_${n}`, label: "Đơn vị phối hợp", options, multiple: true });
    const deadline = h("input", { name: `deadline_${n}`, placeholder: "dd/mm/yyyy hoặc 10 ngày làm việc", autocomplete: "off" });
    const computed = h("p", { class: "hint computed", "aria-live": "polite" });
    const row = {
      lead, coordinating, deadline, computed,
      title: h("textarea", { name: `title_${n}`, rows: 2, required: true }),
      urgent: h("input", { type: "checkbox", name: `priority_${n}`, id: `priority_${n}` }),
      key: h("input", { type: "checkbox", name: `key_task_${n}`, id: `key_task_${n}` }),
      leader: h("select", { name: `leader_${n}` }, h("option", { value: "" }, "Theo đơn vị chủ trì"),
        leaders.map((l) => h("option", { value: l.id }, l.display_name))),
    };
    row.element = h("li", { class: "panel task-row" },
      h("h3", {}, `Nhiệm vụ ${n}`),
      field("Nội dung nhiệm vụ", row.title),
      h("div", { class: "grid" }, lead.element, coordinating.element),
      h("div", { class: "grid" }, h("div", {}, field("Thời hạn", deadline), computed),
        field("Lãnh đạo phụ trách", row.leader, "Để trống: lãnh đạo phụ trách lĩnh vực của đơn vị chủ trì.")),
      h("div", { class: "grid" },
        h("div", { class: "check" }, row.urgent, h("label", { for: `priority_${n}` }, "Khẩn")),
        h("div", { class: "check" }, row.key, h("label", { for: `key_task_${n}` }, "Nhiệm vụ trọng tâm"))),
      n > 1 ? h("button", { type: "button", class: "secondary", onclick: () => removeRow(row) }, `Bỏ nhiệm vụ ${n}`) : null);
    deadline.addEventListener("change", () => preview(row));
    rows.push(row);
    list.append(row.element);
    return row;
  }
  function removeRow(row) {
    rows.splice(rows.indexOf(row), 1);
    row.element.remove();
    rows.forEach((r, i) => { r.element.querySelector("h3").textContent = `Nhiệm vụ ${i + 1}`; });
  }
  function documentValue(name) {
    const v = form.querySelector(`[name=${name}]`).value.trim();
    return name === "source_date" || name === "assigned_on" ? (parseDate(v) || v) : v;
  }
  function line(row, title = row.title.value.trim()) {
    const lead = row.lead.values()[0];
    return [...DOCUMENT_FIELDS.map(documentValue), title, lead ? codeOf.get(lead) : "",
      row.coordinating.values().map((id) => codeOf.get(id)).join(";"), row.deadline.value.trim(),
      row.urgent.checked ? "Khẩn" : "", loginOf.get(row.leader.value) || "", row.key.checked ? "x" : ""];
  }
  // The date a period ends on, computed by the server's calendar, shown before saving.
  async function preview(row) {
    const text = row.deadline.value.trim();
    row.computed.textContent = "";
    const problem = deadlineProblem(text);
    if (problem) {
      row.computed.textContent = problem;
      return;
    }
    if (!text || parseDate(text)) return;
    const sample = line(row, row.title.value.trim() || "Xem trước thời hạn");
    if (!sample[6]) sample[6] = activeUnits()[0]?.code || "";  // any unit: the date does not depend on it
    sample[0] = "";  // nor on the document; this keeps the preview clear of duplicate checks
    try {
      const result = await importTasks(csv(HEADER, [sample]), true);
      const due = result.rows[0].task.due_on;
      row.computed.textContent = due ? `Hạn hoàn thành: ${date(due)}` : "";
    } catch (err) {
      const mine = err.problem?.errors?.find((e) => e.field === "deadline" || e.field === "assigned_on");
      row.computed.textContent = mine ? fieldMessage(mine) : "";
    }
  }

  const form = h("form", { novalidate: true }, documentPart,
    h("h2", {}, "Các nhiệm vụ"), list,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => { addRow().title.focus(); } }, "Thêm nhiệm vụ"),
      h("button", { type: "button", class: "secondary", onclick: () => send(true) }, "Kiểm tra"),
      h("button", { type: "submit" }, "Giao nhiệm vụ")));
  form.addEventListener("submit", (e) => { e.preventDefault(); send(false); });

  // The rows sent: a row left wholly empty is not a task (the form starts with two).
  let sent = rows;
  const blank = (r) => !r.title.value.trim() && !r.lead.values().length && !r.coordinating.values().length && !r.deadline.value.trim();
  async function send(dryRun) {
    sent = rows.filter((r) => !blank(r));
    if (!sent.length) sent = rows.slice(0, 1);
    clearFieldErrors(form);
    said.replaceChildren();
    for (const name of ["source_date", "assigned_on"]) {
      const v = form.querySelector(`[name=${name}]`).value.trim();
      if (v && !parseDate(v)) markField(form.querySelector(`[name=${name}]`), BAD_DATE);
    }
    sent.forEach((row) => {
      const problem = deadlineProblem(row.deadline.value);
      if (problem) markField(row.deadline, problem);
      if (!row.title.value.trim()) markField(row.title, "Vui lòng nhập nội dung nhiệm vụ.");
      if (!row.lead.values().length) markField(row.lead.input, "Vui lòng chọn đơn vị chủ trì.");
    });
    if (form.querySelector("[aria-invalid]")) {
      say(said, "Vui lòng sửa các trường được đánh dấu.", "error");
      form.querySelector("[aria-invalid]").focus();
      return;
    }
    const buttons = [...form.querySelectorAll("button")];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const result = await importTasks(csv(HEADER, sent.map((r) => line(r))), dryRun);
      result.rows.forEach((r, i) => {
        const due = r.task.due_on;
        if (sent[i]) sent[i].computed.textContent = due ? `Hạn hoàn thành: ${date(due)}` : "Không có thời hạn";
      });
      if (dryRun) {
        say(said, `Đã kiểm tra: ${numbers.format(result.count)} nhiệm vụ hợp lệ, chưa giao. Bấm “Giao nhiệm vụ” để lưu.`);
      } else {
        show("Đã giao nhiệm vụ",
          h("p", { class: "notice info", role: "status" }, `Đã giao ${numbers.format(result.count)} nhiệm vụ; các đơn vị đã được thông báo.`),
          h("ul", {}, result.rows.map((r) => h("li", {}, link(`/tasks/${r.task.id}`, r.task.title),
            r.task.due_on ? ` — hạn ${date(r.task.due_on)}` : ""))),
          h("p", { class: "actions" }, link("/tasks/new", "Giao thêm nhiệm vụ"), link("/tasks", "Danh sách nhiệm vụ")));
        return;
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.problem.errors) {
        showProblems(err.problem.errors);
      } else {
        say(said, explain(err), "error");
      }
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }
  // The file's row r is the form's task r-1; a document field's problem is said once.
  function showProblems(errors) {
    const seen = new Set();
    for (const e of errors) {
      const row = sent[e.row - 2];
      let input = null;
      if (DOCUMENT_FIELDS.includes(e.field)) {
        if (seen.has(e.field)) continue;
        seen.add(e.field);
        input = form.querySelector(`[name=${e.field}]`);
      } else if (row) {
        input = { title: row.title, lead_unit: row.lead.input, coordinating_units: row.coordinating.input, deadline: row.deadline, priority: row.urgent, leader: row.leader, key_task: row.key }[e.field];
      }
      if (input) markField(input, fieldMessage(e));
    }
    say(said, "Chưa giao nhiệm vụ nào: vui lòng sửa các trường được đánh dấu.", "error");
    form.querySelector("[aria-invalid]")?.focus();
  }

  addRow();
  addRow();
  show("Giao nhiệm vụ", h("p", { class: "hint" }, "Nhập thông tin văn bản một lần, sau đó mỗi nhiệm vụ một mục. Gõ tên đơn vị không cần dấu, ví dụ “xay dung”."), said, form);
}

// A whole register from a spreadsheet saved as CSV: every problem listed by row and column, and
// nothing registered until the file is clean.
export function importPage() {
  const said = statusArea();
  const problems = h("div");
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv" });
  const form = h("form", { class: "panel", novalidate: true },
    field("Tệp CSV (UTF-8)", file, "Lưu bảng tính theo dạng “CSV UTF-8”. Các cột và cách viết: xem hướng dẫn nhập dữ liệu."),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => send(true) }, "Kiểm tra tệp"),
      h("button", { type: "submit" }, "Nhập và giao nhiệm vụ")));
  form.addEventListener("submit", (e) => { e.preventDefault(); send(false); });

  async function send(dryRun) {
    said.replaceChildren();
    problems.replaceChildren();
    if (!file.files.length) {
      say(said, "Vui lòng chọn tệp CSV.", "error");
      file.focus();
      return;
    }
    const text = await file.files[0].text();
    try {
      const result = await importTasks(text, dryRun);
      if (dryRun) {
        say(said, `Tệp hợp lệ: ${numbers.format(result.count)} nhiệm vụ, chưa giao. Bấm “Nhập và giao nhiệm vụ” để lưu.`);
      } else {
        say(said, `Đã giao ${numbers.format(result.count)} nhiệm vụ từ tệp ${file.files[0].name}.`);
        problems.append(h("p", {}, link("/tasks", "Xem danh sách nhiệm vụ")));
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.problem.errors) {
        say(said, `Tệp có ${numbers.format(err.problem.errors.length)} lỗi; chưa nhiệm vụ nào được giao. Sửa các ô dưới đây rồi gửi lại.`, "error");
        problems.append(h("table", { class: "problems" },
          h("caption", {}, "Các lỗi trong tệp"),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Dòng"), h("th", { scope: "col" }, "Cột"), h("th", { scope: "col" }, "Lỗi"))),
          h("tbody", {}, err.problem.errors.map((e) => h("tr", {},
            h("td", {}, e.row ? numbers.format(e.row) : "—"), h("td", {}, e.field || "—"), h("td", {}, fieldMessage(e)))))));
      } else if (err instanceof ApiError && err.status === 413) {
        say(said, "Tệp quá lớn. Hãy chia thành nhiều tệp nhỏ hơn.", "error");
      } else {
        say(said, explain(err), "error");
      }
    }
  }
  show("Nhập nhiệm vụ từ tệp CSV", said, form, problems);
}
