// dondoc's pages, drawn in the browser from the JSON API (docs/design.md, "The web interface").
// Every value reaches the page as text (textContent), never as markup; every request goes to
// this origin with the session cookie, and every change carries the session's CSRF token.

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const account = document.getElementById("account");

// ---- words ----

const ROLE = { admin: "Quản trị", office: "Văn phòng", leader: "Lãnh đạo", unit: "Đơn vị" };
const STATE = {
  open: "Đang thực hiện", reported: "Đã báo cáo hoàn thành", done: "Đã hoàn thành",
  suspended: "Tạm dừng", cancelled: "Đã hủy",
};
const TIMELINESS = {
  done_on_time: "Hoàn thành đúng hạn", done_late: "Hoàn thành quá hạn", open_on_time: "Trong hạn",
  due_soon: "Sắp đến hạn", overdue: "Quá hạn", no_deadline: "Không có thời hạn",
  suspended: "Tạm dừng", cancelled: "Đã hủy",
};
const collator = new Intl.Collator("vi", { sensitivity: "base" });
const numbers = new Intl.NumberFormat("vi-VN");

// "2025-05-30" → "30/05/2025"
function date(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}
// "2025-05-12T14:00:00.000+07:00" → "14:00 12/05/2025" (the time as the server's zone tells it)
function instant(iso) {
  if (!iso) return "";
  return `${iso.slice(11, 16)} ${date(iso)}`;
}

// ---- the page, built from elements ----

// h("a", {href: "/"}, "text", child...): attributes are set as attributes, text as text.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
function link(href, ...children) {
  return h("a", { href, "data-link": true }, ...children);
}
function show(title, ...content) {
  document.title = `${title} — Đôn đốc nhiệm vụ`;
  main.replaceChildren(h("h1", {}, title), ...content);
  main.focus({ preventScroll: true });
}

// ---- the API ----

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}
const session = { user: null, csrf: null, mustChange: false };
const units = { list: null, byId: new Map() };

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  const r = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const error = new ApiError(r.status, data);
    error.retryAfter = r.headers.get("Retry-After");
    throw error;
  }
  return data;
}

async function loadUnits() {
  if (units.list) return units.list;
  const found = [];
  let cursor = null;
  do {
    const page = await api("GET", `/api/v1/units?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    found.push(...page.items);
    cursor = page.next;
  } while (cursor);
  found.sort((a, b) => collator.compare(a.name, b.name));
  units.list = found;
  for (const u of found) units.byId.set(u.id, u);
  return found;
}
function unitName(id) {
  return units.byId.get(id)?.name ?? `Đơn vị số ${id}`;
}

// ---- navigation ----

function go(path, replace = false) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  render();
}
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-link]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  go(a.getAttribute("href"));
});
window.addEventListener("popstate", render);

function drawChrome() {
  nav.replaceChildren();
  account.replaceChildren();
  if (!session.user) return;
  const here = location.pathname;
  const items = [];
  if (session.user.role !== "admin") items.push(["/tasks", "Danh sách nhiệm vụ"]);
  nav.append(h("ul", {}, items.map(([href, text]) =>
    h("li", {}, h("a", { href, "data-link": true, "aria-current": here.startsWith(href) ? "page" : null }, text)))));
  account.append(
    h("span", { class: "who" }, `${session.user.display_name} (${ROLE[session.user.role]})`),
    link("/password", "Đổi mật khẩu"),
    h("button", { type: "button", onclick: signOut }, "Đăng xuất"),
  );
}

async function signOut() {
  try {
    await api("DELETE", "/api/v1/session");
  } catch (e) {
    // Ended already: the page below says so either way.
  }
  session.user = null;
  session.csrf = null;
  units.list = null;
  go("/sign-in");
}

const routes = [
  [/^\/$/, home],
  [/^\/sign-in$/, signInPage],
  [/^\/password$/, passwordPage],
  [/^\/tasks$/, taskListPage],
  [/^\/tasks\/(\d+)$/, taskPage],
];

async function render() {
  const path = location.pathname;
  if (path !== "/sign-in" && !session.user) {
    try {
      const s = await api("GET", "/api/v1/session");
      session.user = s.user;
      session.csrf = s.csrf_token;
      session.mustChange = s.must_change_password;
    } catch (e) {
      if (e.status === 401 || e.status === 404) {
        const next = location.pathname + location.search;
        history.replaceState(null, "", `/sign-in${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`);
        drawChrome();
        return signInPage();
      }
      drawChrome();
      return errorPage(e);
    }
  }
  if (session.user && session.mustChange && path !== "/password" && path !== "/sign-in") {
    history.replaceState(null, "", "/password");
    drawChrome();
    return passwordPage();
  }
  drawChrome();
  for (const [pattern, page] of routes) {
    const m = path.match(pattern);
    if (m) {
      try {
        await page(...m.slice(1));
      } catch (e) {
        errorPage(e);
      }
      return;
    }
  }
  notFoundPage();
}

// ---- pages ----

function home() {
  go(session.user.role === "admin" ? "/password" : "/tasks", true);
}

function errorPage(e) {
  if (e instanceof ApiError && e.status === 404) return notFoundPage();
  if (e instanceof ApiError && e.status === 403) {
    return show("Không có quyền truy cập",
      h("p", {}, "Tài khoản của bạn không được phép xem hoặc thực hiện thao tác này."),
      h("p", {}, link("/", "Về trang chính")));
  }
  if (e instanceof ApiError && e.status === 401) {
    session.user = null;
    return go(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  }
  show("Đã có lỗi",
    h("p", {}, "Hệ thống chưa xử lý được yêu cầu này. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo cho quản trị hệ thống."),
    h("p", { class: "hint" }, e instanceof ApiError ? `Mã lỗi ${e.status}` : "Không kết nối được với máy chủ"),
    h("p", {}, link("/", "Về trang chính")));
}

function notFoundPage() {
  show("Không tìm thấy trang",
    h("p", {}, "Trang hoặc nhiệm vụ này không tồn tại, hoặc không thuộc phạm vi của đơn vị bạn."),
    h("p", {}, link("/", "Về trang chính")));
}

function fieldError(form, errors) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const err of errors || []) {
    const input = form.querySelector(`[name="${CSS.escape(err.field)}"]`);
    if (!input) continue;
    const id = `${input.id}-error`;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    input.after(h("p", { class: "field-error", id }, fieldMessage(err)));
  }
}
// The API's field messages are English; the page says the common ones in Vietnamese.
function fieldMessage(err) {
  const m = err.message || "";
  if (m.includes("at least")) return "Mật khẩu phải có ít nhất 10 ký tự.";
  if (m.includes("not your current password")) return "Mật khẩu hiện tại không đúng.";
  if (m.includes("must differ")) return "Mật khẩu mới phải khác mật khẩu hiện tại.";
  if (m.includes("login name")) return "Mật khẩu không được trùng tên đăng nhập.";
  if (m.includes("required")) return "Vui lòng nhập trường này.";
  return m;
}

function signInPage() {
  document.title = "Đăng nhập — Đôn đốc nhiệm vụ";
  const status = h("div", { role: "alert", "aria-live": "assertive" });
  const button = h("button", { type: "submit" }, "Đăng nhập");
  const form = h("form", { class: "panel narrow", novalidate: true },
    h("h1", {}, "Đăng nhập"),
    status,
    h("label", { for: "login" }, "Tên đăng nhập"),
    h("input", { id: "login", name: "login", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" }),
    h("label", { for: "password" }, "Mật khẩu"),
    h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    h("div", { class: "actions" }, button),
    h("p", { class: "hint" }, "Quên mật khẩu? Hãy liên hệ quản trị hệ thống để được cấp mật khẩu dùng một lần."));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    button.disabled = true;
    status.replaceChildren();
    try {
      const s = await api("POST", "/api/v1/sessions", { login: data.get("login"), password: data.get("password") });
      session.user = s.user;
      session.csrf = s.csrf_token;
      session.mustChange = s.must_change_password;
      const next = new URLSearchParams(location.search).get("next");
      go(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", true);
    } catch (err) {
      let text = "Tên đăng nhập hoặc mật khẩu không đúng.";
      if (err.status === 429) text = `Đã thử sai quá nhiều lần. Vui lòng thử lại sau ${numbers.format(Number(err.retryAfter || 60))} giây.`;
      else if (!(err instanceof ApiError) || (err.status !== 401 && err.status !== 400)) text = "Không đăng nhập được lúc này. Vui lòng thử lại sau.";
      status.replaceChildren(h("p", { class: "notice error" }, text));
      form.querySelector("#password").value = "";
      form.querySelector("#password").focus();
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(form);
  form.querySelector("#login").focus();
}

function passwordPage() {
  const status = h("div", { role: "alert", "aria-live": "assertive" });
  const form = h("form", { class: "panel narrow", novalidate: true },
    session.mustChange
      ? h("p", { class: "notice info" }, "Bạn đang dùng mật khẩu một lần do quản trị hệ thống cấp. Hãy đặt mật khẩu của riêng bạn để tiếp tục.")
      : null,
    status,
    h("label", { for: "current_password" }, session.mustChange ? "Mật khẩu một lần" : "Mật khẩu hiện tại"),
    h("input", { id: "current_password", name: "current_password", type: "password", autocomplete: "current-password", required: true }),
    h("label", { for: "new_password" }, "Mật khẩu mới"),
    h("input", { id: "new_password", name: "new_password", type: "password", autocomplete: "new-password", required: true, minlength: 10 }),
    h("p", { class: "hint" }, "Ít nhất 10 ký tự; nên dùng một câu dễ nhớ với bạn."),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Đổi mật khẩu")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    status.replaceChildren();
    try {
      await api("POST", "/api/v1/session/password", {
        current_password: data.get("current_password"), new_password: data.get("new_password"),
      });
      session.mustChange = false;
      form.replaceChildren(h("p", { class: "notice info", role: "status" }, "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."),
        h("p", {}, link("/", "Về trang chính")));
    } catch (err) {
      if (err.status === 400) fieldError(form, err.problem.errors);
      else status.replaceChildren(h("p", { class: "notice error" }, "Không đổi được mật khẩu lúc này. Vui lòng thử lại sau."));
    }
  });
  show("Đổi mật khẩu", form);
}

function badge(timeliness) {
  return h("span", { class: `badge t-${timeliness}` }, TIMELINESS[timeliness] || timeliness);
}

async function taskListPage() {
  await loadUnits();
  const params = new URLSearchParams(location.search);
  const form = h("form", { class: "panel filters", role: "search" },
    h("div", {}, h("label", { for: "q" }, "Tìm theo nội dung, số văn bản"),
      h("input", { id: "q", name: "q", value: params.get("q") || "", placeholder: "ví dụ: xay dung, 45/TB-UBND" })),
    h("div", {}, h("label", { for: "unit_id" }, "Đơn vị"),
      h("select", { id: "unit_id", name: "unit_id" }, h("option", { value: "" }, "Tất cả"),
        units.list.map((u) => h("option", { value: u.id, selected: params.get("unit_id") === String(u.id) }, u.name)))),
    h("div", {}, h("label", { for: "timeliness" }, "Tình trạng"),
      h("select", { id: "timeliness", name: "timeliness" }, h("option", { value: "" }, "Tất cả"),
        Object.entries(TIMELINESS).map(([v, t]) => h("option", { value: v, selected: params.get("timeliness") === v }, t)))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Lọc")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    go(`/tasks${next.toString() ? `?${next}` : ""}`);
  });

  const query = new URLSearchParams();
  for (const k of ["q", "unit_id", "timeliness", "state"]) if (params.get(k)) query.set(k, params.get(k));
  query.set("sort", "-assigned_on");  // the newest first, as a register reads
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
  show("Danh sách nhiệm vụ", form, count, table, more);

  async function page(cursor) {
    if (cursor) query.set("cursor", cursor);
    const result = await api("GET", `/api/v1/tasks?${query}`);
    count.textContent = `${numbers.format(result.total)} nhiệm vụ`;
    for (const t of result.items) {
      body.append(h("tr", {},
        h("td", { "data-label": "Nhiệm vụ" }, link(`/tasks/${t.id}`, t.title)),
        h("td", { "data-label": "Văn bản giao" }, t.source_ref ? `${t.source_ref}${t.source_date ? ` ngày ${date(t.source_date)}` : ""}` : "—"),
        h("td", { "data-label": "Đơn vị chủ trì" }, unitName(t.lead_unit_id)),
        h("td", { "data-label": "Thời hạn", class: "date" }, t.due_on ? date(t.due_on) : "Không có"),
        h("td", { "data-label": "Tình trạng" }, badge(t.timeliness),
          t.days_overdue ? h("span", { class: "hint" }, ` quá ${numbers.format(t.days_overdue)} ngày`) : null)));
    }
    more.replaceChildren();
    if (result.next) {
      more.append(h("button", { type: "button", class: "secondary", onclick: () => page(result.next) }, "Xem thêm"));
    }
    if (result.total === 0) body.append(h("tr", {}, h("td", { colspan: 5 }, "Không có nhiệm vụ nào khớp điều kiện lọc.")));
  }
  await page(null);
}

// One history event, said as a sentence.
function eventSentence(e, task) {
  const change = (field) => e.changes.find((c) => c.field === field);
  const lead = unitName(task.lead_unit_id);
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
    case "reopened": return `Văn phòng UBND tỉnh trả lại báo cáo, nhiệm vụ tiếp tục thực hiện${e.note ? `: ${e.note}` : "."}`;
    case "suspended": return `Tạm dừng thực hiện${e.note ? `: ${e.note}` : "."}`;
    case "resumed": return "Tiếp tục thực hiện.";
    case "cancelled": return `Hủy nhiệm vụ${e.note ? `: ${e.note}` : "."}`;
    case "progress_note": return `Báo cáo tiến độ: ${e.note}`;
    case "updated": {
      const due = change("due_on");
      if (due) return `Thời hạn đổi từ ${due.from ? date(due.from) : "không có"} thành ${due.to ? date(due.to) : "không có"}${e.note ? ` (${e.note})` : ""}.`;
      return `Cập nhật thông tin nhiệm vụ${e.note ? `: ${e.note}` : "."}`;
    }
    default: return e.note || e.kind;
  }
}

async function taskPage(id) {
  await loadUnits();
  const [task, history, extensions] = await Promise.all([
    api("GET", `/api/v1/tasks/${id}`),
    api("GET", `/api/v1/tasks/${id}/history?limit=200`),
    api("GET", `/api/v1/tasks/${id}/extensions`),
  ]);
  const facts = [
    ["Nội dung", task.description || "—"],
    ["Văn bản giao", task.source_ref ? `${task.source_ref}${task.source_date ? ` ngày ${date(task.source_date)}` : ""}${task.source_title ? ` — ${task.source_title}` : ""}` : "—"],
    ["Người giao", task.assigner || "—"],
    ["Ngày giao", date(task.assigned_on)],
    ["Đơn vị chủ trì", unitName(task.lead_unit_id)],
    ["Đơn vị phối hợp", task.coordinating_unit_ids.length ? task.coordinating_unit_ids.map(unitName).join("; ") : "—"],
    ["Thời hạn", task.due_on ? date(task.due_on) : "Không có thời hạn"],
    ["Tình trạng", [STATE[task.state] || task.state, " ", badge(task.timeliness)]],
  ];
  if (task.original_due_on) facts.push(["Thời hạn ban đầu", date(task.original_due_on)]);
  if (task.completed_on) facts.push(["Ngày hoàn thành", `${date(task.completed_on)}${task.completion_ref ? ` (văn bản số ${task.completion_ref})` : ""}`]);
  const events = history.items.map((e) => ({ at: e.at, text: eventSentence(e, task) }));
  for (const x of extensions.items) {
    events.push({ at: x.created_at, text: `${unitName(x.unit_id)} đề nghị gia hạn đến ${date(x.proposed_due_on)}${x.reason ? `: ${x.reason}` : "."}` });
    if (x.state === "approved" || x.state === "rejected") {
      events.push({
        at: x.decided_at,
        text: x.state === "approved"
          ? `Lãnh đạo UBND tỉnh đồng ý gia hạn đến ${date(x.decided_due_on || x.proposed_due_on)}${x.note ? ` (${x.note})` : "."}`
          : `Lãnh đạo UBND tỉnh không đồng ý gia hạn${x.note ? `: ${x.note}` : "."}`,
      });
    }
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  show(task.title,
    h("p", {}, link("/tasks", "← Danh sách nhiệm vụ")),
    h("section", { class: "panel", "aria-labelledby": "facts" },
      h("h2", { id: "facts" }, "Thông tin nhiệm vụ"),
      h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
    h("section", { class: "panel", "aria-labelledby": "history" },
      h("h2", { id: "history" }, "Quá trình thực hiện"),
      h("ol", { class: "history" }, events.map((e) => h("li", {}, h("span", { class: "when" }, instant(e.at)), e.text)))));
}

render();
