// What every page stands on: building elements, the Vietnamese words and formats, the JSON API
// with the session, the units, navigation and the error pages (docs/design.md, "The web
// interface"). Every value reaches the page as text (textContent), never as markup; every
// request goes to this origin with the session cookie, and every change carries the CSRF token.

export const main = document.getElementById("main");

// ---- words ----

export const ROLE = { admin: "Quản trị", office: "Văn phòng", leader: "Lãnh đạo", unit: "Đơn vị" };
export const STATE = {
  open: "Đang thực hiện", reported: "Đã báo cáo hoàn thành", done: "Đã hoàn thành",
  suspended: "Tạm dừng", cancelled: "Đã hủy",
};
export const TIMELINESS = {
  done_on_time: "Hoàn thành đúng hạn", done_late: "Hoàn thành quá hạn", open_on_time: "Trong hạn",
  due_soon: "Sắp đến hạn", overdue: "Quá hạn", no_deadline: "Không có thời hạn",
  suspended: "Tạm dừng", cancelled: "Đã hủy",
};
export const EXTENSION_STATE = {
  pending: "Chờ quyết định", approved: "Đã đồng ý", rejected: "Không đồng ý", withdrawn: "Đã rút", closed: "Tự đóng",
};
export const UNIT_KIND = {
  department: "Sở, ngành", agency: "Cơ quan, ban", commune: "Xã", ward: "Phường", other: "Khác",
};

export const collator = new Intl.Collator("vi", { sensitivity: "base" });
export const numbers = new Intl.NumberFormat("vi-VN");
export const percent = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

// "Sở Xây dựng" → "so xay dung": what typing without diacritics is compared against.
export function plain(text) {
  return String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

// "2025-05-30" → "30/05/2025"
export function date(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}
// "2025-05-12T14:00:00.000+07:00" → "14:00 12/05/2025" (the time as the server's zone tells it)
export function instant(iso) {
  if (!iso) return "";
  return `${iso.slice(11, 16)} ${date(iso)}`;
}
// "30/05/2025" (also 30.05.2025, 30-5-2025, 2025-05-30) → "2025-05-30"; null when not a real day.
export function parseDate(text) {
  const t = String(text ?? "").trim();
  let y, m, d;
  let found = t.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (found) [, d, m, y] = found.map(Number);
  else if ((found = t.match(/^(\d{4})-(\d{2})-(\d{2})$/))) [, y, m, d] = found.map(Number);
  else return null;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
// Today in the browser's calendar, as the API writes dates.
export function today() {
  const n = new Date();
  return `${n.getFullYear()}-${String(n.getMonth() + 1).padStart(2, "0")}-${String(n.getDate()).padStart(2, "0")}`;
}

// ---- the page, built from elements ----

// h("a", {href: "/"}, "text", child...): attributes are set as attributes, text as text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
export function link(href, ...children) {
  return h("a", { href, "data-link": true }, ...children);
}
export function show(title, ...content) {
  document.title = `${title} — Đôn đốc nhiệm vụ`;
  main.replaceChildren(h("h1", {}, title), ...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  main.focus({ preventScroll: true });
}
export function badge(timeliness) {
  return h("span", { class: `badge t-${timeliness}` }, TIMELINESS[timeliness] || timeliness);
}
// A labelled field: the label, the control, and room for a hint.
let fieldCount = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldCount}`;
  const parts = [h("label", { for: control.id }, label), control];
  if (hint) {
    const id = `${control.id}-hint`;
    control.setAttribute("aria-describedby", id);
    parts.push(h("p", { class: "hint", id }, hint));
  }
  return h("div", { class: "field" }, parts);
}
// A date typed as dd/mm/yyyy (a native date picker would show the browser's own order).
export function dateInput(name, iso, attrs = {}) {
  return h("input", {
    name, value: iso ? date(iso) : "", placeholder: "dd/mm/yyyy", inputmode: "numeric",
    autocomplete: "off", "data-date": true, ...attrs,
  });
}
export const BAD_DATE = "Ngày không hợp lệ (viết theo dạng dd/mm/yyyy).";

// A filter form whose choices go into the address (so a filtered list can be bookmarked or sent):
// empty fields are left out, dates (dateInput) are written as the API reads them, and a date
// that is not one is marked instead of sent.
export function filtersInAddress(form, path) {
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const next = new URLSearchParams();
    let ok = true;
    for (const [k, v] of new FormData(form)) {
      if (!v) continue;
      const input = form.querySelector(`[name="${CSS.escape(k)}"]`);
      if (!input?.hasAttribute("data-date")) {
        next.set(k, v);
      } else if (parseDate(v)) {
        next.set(k, parseDate(v));
      } else {
        markField(input, BAD_DATE);
        ok = false;
      }
    }
    if (ok) go(`${path}${next.toString() ? `?${next}` : ""}`);
  });
}

// A form that sends one request (`send(data, form)`); its status line says what came of it, and
// a date that is not one (thrown by dateOf) is marked on its field.
export function actionForm(fields, button, send, { danger = false } = {}) {
  const status = h("div", { class: "form-status", role: "alert" });
  const form = h("form", { novalidate: true }, status, fields, h("div", { class: "actions" },
    h("button", { type: "submit", class: danger ? "danger" : null }, button)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      await send(new FormData(form), form);
    } catch (err) {
      if (err.dateField) {
        markField(form.querySelector(`[name=${err.dateField}]`), BAD_DATE);
      } else {
        status.replaceChildren(h("p", { class: "notice error" }, explain(err, form)));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
// A date from a form field: null when empty, the ISO date, or a marked error.
export function dateOf(data, name) {
  const text = String(data.get(name) || "").trim();
  if (!text) return null;
  const iso = parseDate(text);
  if (!iso) throw Object.assign(new Error("bad date"), { dateField: name });
  return iso;
}
// A place for what a form says back (an error, a confirmation), read out when it changes. What
// the last action did (flash) is said in the first one drawn on the page it leads to.
let flashed = null;
export function flash(text) {
  flashed = text;
}
export function statusArea() {
  const area = h("div", { class: "status", role: "status", "aria-live": "polite" });
  if (flashed) {
    say(area, flashed);
    flashed = null;
  }
  return area;
}
export function say(area, text, kind = "info") {
  area.replaceChildren(h("p", { class: `notice ${kind}` }, text));
}

// ---- the API ----

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}
export const session = { user: null, csrf: null, mustChange: false };
const units = { list: null, byId: new Map() };

// The answer's body, and its ETag as `etag` where there is one (not enumerable: not data).
export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", ...extraHeaders };
  // A string goes as it is (CSV), a file as its bytes (an upload); anything else as JSON.
  const raw = typeof body === "string" || body instanceof Blob;
  if (body !== undefined && !raw) headers["Content-Type"] = "application/json";
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  let r;
  try {
    r = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: "no connection" });
  }
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const error = new ApiError(r.status, data);
    error.retryAfter = r.headers.get("Retry-After");
    throw error;
  }
  if (r.headers.get("ETag")) Object.defineProperty(data, "etag", { value: r.headers.get("ETag") });
  return data;
}

// Every page of a list, followed through its cursors.
export async function all(path) {
  const found = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api("GET", `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    found.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return found;
}

// Every unit, in Vietnamese alphabetical order (Đ after D), the merged ones included: old tasks
// still name them.
export async function loadUnits(reload = false) {
  if (units.list && !reload) return units.list;
  const found = await all("/api/v1/units");
  found.sort((a, b) => collator.compare(a.name, b.name));
  units.list = found;
  units.byId = new Map(found.map((u) => [u.id, u]));
  return found;
}
// The active leaders, who may be in charge of a task, by id.
const leaders = { list: null, byId: new Map() };
export async function loadLeaders() {
  if (leaders.list) return leaders.list;
  const found = (await api("GET", "/api/v1/leaders")).items;
  leaders.list = found;
  leaders.byId = new Map(found.map((u) => [u.id, u]));
  return found;
}
export function loadedLeaders() {
  return leaders.list || [];
}
export function leaderName(id) {
  if (id === null || id === undefined) return "Chưa phân công";
  return leaders.byId.get(id)?.display_name ?? `Lãnh đạo số ${id}`;
}
export function activeUnits() {
  return (units.list || []).filter((u) => u.active);
}
export function unitName(id) {
  return units.byId.get(id)?.name ?? `Đơn vị số ${id}`;
}
export function forgetSession() {
  session.user = null;
  session.csrf = null;
  units.list = null;
  leaders.list = null;
}

// What went wrong, in words, for a form's status area; the fields at fault get their own note.
export function explain(err, form) {
  if (err.words) return err.words;
  if (!(err instanceof ApiError) || err.status === 0) return "Không kết nối được với máy chủ. Vui lòng thử lại.";
  if (err.status === 400 && form && err.problem.errors) {
    fieldErrors(form, err.problem.errors);
    return "Vui lòng sửa các trường được đánh dấu.";
  }
  if (err.status === 403) return "Tài khoản của bạn không được phép thực hiện thao tác này.";
  if (err.status === 404) return "Không tìm thấy, hoặc không thuộc phạm vi của bạn.";
  if (err.status === 409 && /already used|already taken|already exists/.test(err.problem.detail || "")) {
    return "Mã hoặc tên đăng nhập này đã được dùng. Hãy chọn giá trị khác.";
  }
  if (err.status === 409) return `Không thực hiện được vì tình trạng đã thay đổi: ${conflictWords(err.problem.detail)}`;
  if (err.status === 412) return "Người khác vừa thay đổi mục này. Hãy tải lại trang để xem bản mới nhất.";
  if (err.status === 429) return "Thao tác quá nhiều trong thời gian ngắn. Vui lòng thử lại sau ít phút.";
  return "Hệ thống chưa xử lý được yêu cầu này. Vui lòng thử lại sau ít phút.";
}

// The API says why a change conflicts in English; the common reasons in Vietnamese.
export function conflictWords(detail) {
  const d = String(detail || "");
  if (d.includes("already decided") || d.includes("not pending")) return "đề nghị này đã được quyết định hoặc đã rút trước đó.";
  if (d.includes("pending")) return "nhiệm vụ đang có một đề nghị gia hạn chờ quyết định.";
  if (d.includes("later than")) return "ngày đề nghị phải sau thời hạn hiện tại.";
  if (d.includes("no deadline")) return "nhiệm vụ không có thời hạn.";
  if (d.includes("at most")) return "nhiệm vụ đã đạt số lần xin gia hạn tối đa.";
  if (d.includes("is done") || d.includes("is cancelled") || d.includes("not open") || d.includes("state")) {
    return "nhiệm vụ không còn ở tình trạng cho phép thao tác này (đã hoàn thành, đã báo cáo, tạm dừng hoặc đã hủy).";
  }
  if (d.includes("already")) return "đã tồn tại.";
  return "vui lòng tải lại trang để xem tình trạng mới nhất.";
}

export function clearFieldErrors(form) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}
export function fieldErrors(form, errors) {
  clearFieldErrors(form);
  for (const err of errors || []) markField(form.querySelector(`[name="${CSS.escape(err.field)}"]`), fieldMessage(err));
}
export function markField(input, message) {
  if (!input) return;
  const id = `${input.id || input.name}-error`;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", id);
  (input.closest(".picker") || input).after(h("p", { class: "field-error", id }, message));
}
// The API's field messages are English; the page says the common ones in Vietnamese.
export function fieldMessage(err) {
  const m = err.message || "";
  if (m.includes("at least 10")) return "Mật khẩu phải có ít nhất 10 ký tự.";
  if (m.includes("not your current password")) return "Mật khẩu hiện tại không đúng.";
  if (m.includes("must differ")) return "Mật khẩu mới phải khác mật khẩu hiện tại.";
  if (m.includes("login name")) return "Mật khẩu không được trùng tên đăng nhập.";
  if (m.includes("when the deadline changes")) return "Cần ghi khi đổi thời hạn.";
  if (m.includes("only for a change of the deadline")) return "Chỉ ghi khi đổi thời hạn.";
  if (m.includes("required") || m.includes("is empty") || m.includes("must not be empty")) return "Vui lòng nhập trường này.";
  if (m.includes("not a real date") || m.includes("not a date")) return BAD_DATE;
  if (m.includes("in the future")) return "Ngày này chưa đến.";
  if (m.includes("is before")) return "Ngày này sớm hơn mức cho phép.";
  if (m.includes("no longer active")) return `Đơn vị đã ngừng hoạt động (${m}).`;
  if (m.includes("unknown unit") || m.includes("no unit")) return "Không tìm thấy đơn vị này.";
  if (m.includes("taken") || m.includes("already")) return "Giá trị này đã được dùng.";
  return m;
}

// ---- navigation ----

let renderer = () => {};
export function onNavigate(render) {
  renderer = render;
}
export function go(path, replace = false) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  return renderer();
}

// ---- pages every role may meet ----

export function errorPage(e) {
  if (e instanceof ApiError && e.status === 404) return notFoundPage();
  if (e instanceof ApiError && e.status === 403) {
    return show("Không có quyền truy cập",
      h("p", {}, "Tài khoản của bạn không được phép xem hoặc thực hiện thao tác này."),
      h("p", {}, link("/", "Về trang chính")));
  }
  if (e instanceof ApiError && e.status === 401) {
    forgetSession();
    return go(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  }
  if (!(e instanceof ApiError)) console.error(e);
  show("Đã có lỗi",
    h("p", {}, "Hệ thống chưa xử lý được yêu cầu này. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo cho quản trị hệ thống."),
    h("p", { class: "hint" }, e instanceof ApiError && e.status ? `Mã lỗi ${e.status}` : "Không kết nối được với máy chủ"),
    h("p", {}, link("/", "Về trang chính")));
}

export function notFoundPage() {
  show("Không tìm thấy trang",
    h("p", {}, "Trang hoặc nhiệm vụ này không tồn tại, hoặc không thuộc phạm vi của đơn vị bạn."),
    h("p", {}, link("/", "Về trang chính")));
}
