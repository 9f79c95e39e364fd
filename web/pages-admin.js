// An admin's pages: people (create, role and unit, deactivate, a one-time password), their API
// tokens (issued and shown once, revoked), units (create, rename, merge), the outbox (counters,
// dead letters, retry) and the audit log with its filters.
import {
  h, link, show, api, all, session, loadUnits, loadLeaders, leaderName, activeUnits, unitName, numbers, instant, date, field, dateInput,
  statusArea, say, flash, explain, markField, go, ROLE, UNIT_KIND, collator, filtersInAddress, actionForm, dateOf,
} from "./core.js";
import { unitPicker, unitOptions } from "./picker.js";

const roleSelect = (chosen) => h("select", { name: "role", required: true },
  Object.entries(ROLE).map(([v, t]) => h("option", { value: v, selected: v === chosen }, t)));
// A secret the server shows once: the admin copies it now or never.
function once(label, secret, hint) {
  return h("div", { class: "notice info secret" }, h("p", {}, label), h("p", {}, h("code", {}, secret)), h("p", { class: "hint" }, hint));
}

export async function usersPage() {
  await loadUnits();
  const users = await all("/api/v1/users");
  users.sort((a, b) => Number(b.active) - Number(a.active) || collator.compare(a.display_name, b.display_name));
  const unit = unitPicker({ name: "unit_id", label: "Đơn vị (chỉ với vai trò Đơn vị)", options: unitOptions(activeUnits()) });
  const create = actionForm([
    field("Tên đăng nhập", h("input", { name: "login", required: true, autocapitalize: "none", spellcheck: "false" })),
    field("Họ tên hoặc chức danh", h("input", { name: "display_name", required: true }), "Ví dụ: Chuyên viên Văn phòng UBND tỉnh"),
    field("Thư điện tử", h("input", { name: "email", type: "email", placeholder: "ten@example.vn" })),
    field("Vai trò", roleSelect("unit")),
    unit.element,
  ], "Tạo người dùng", async (data) => {
    const body = { login: data.get("login"), display_name: data.get("display_name"), role: data.get("role") };
    if (data.get("email")) body.email = data.get("email");
    if (body.role === "unit") body.unit_id = unit.values()[0];
    const made = await api("POST", "/api/v1/users", body);
    flash(`Đã tạo người dùng ${made.login}. Hãy cấp mật khẩu dùng một lần để người đó đăng nhập.`);
    go(`/admin/users/${made.id}`);
  });
  show("Người dùng",
    statusArea(),
    h("details", { class: "action panel" }, h("summary", {}, "Thêm người dùng"), create),
    h("table", { class: "cards" },
      h("caption", { class: "skip" }, "Danh sách người dùng"),
      h("thead", {}, h("tr", {}, ["Người dùng", "Tên đăng nhập", "Vai trò", "Đơn vị", "Tình trạng"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, users.map((u) => h("tr", {},
        h("td", { "data-label": "Người dùng" }, link(`/admin/users/${u.id}`, u.display_name)),
        h("td", { "data-label": "Tên đăng nhập" }, u.login),
        h("td", { "data-label": "Vai trò" }, ROLE[u.role]),
        h("td", { "data-label": "Đơn vị" }, u.unit_id ? unitName(u.unit_id) : "—"),
        h("td", { "data-label": "Tình trạng" }, !u.active ? "Đã khóa" : !u.has_password ? "Chưa có mật khẩu" : u.must_change_password ? "Chờ đổi mật khẩu" : "Đang hoạt động"))))));
}

export async function userPage(id) {
  await loadUnits();
  const [user, tokens] = await Promise.all([api("GET", `/api/v1/users/${id}`), api("GET", `/api/v1/users/${id}/tokens`)]);
  const said = statusArea();
  const reload = (text) => {
    flash(text);
    return go(`/admin/users/${id}`, true);
  };
  const unit = unitPicker({ name: "unit_id", label: "Đơn vị (chỉ với vai trò Đơn vị)", options: unitOptions(activeUnits()), chosen: user.unit_id ? [user.unit_id] : [] });
  const edit = actionForm([
    field("Họ tên hoặc chức danh", h("input", { name: "display_name", value: user.display_name, required: true })),
    field("Thư điện tử", h("input", { name: "email", type: "email", value: user.email || "" })),
    field("Vai trò", roleSelect(user.role)),
    unit.element,
  ], "Lưu", async (data) => {
    const body = { display_name: data.get("display_name"), email: data.get("email") || null, role: data.get("role") };
    body.unit_id = body.role === "unit" ? unit.values()[0] ?? null : null;
    await api("PATCH", `/api/v1/users/${id}`, body);
    return reload("Đã lưu thay đổi.");
  });
  const secretArea = h("div", { "aria-live": "polite" });
  const reset = actionForm([h("p", {}, "Người dùng sẽ nhận một mật khẩu dùng một lần và phải tự đặt mật khẩu mới ở lần đăng nhập tới. Mọi phiên đăng nhập hiện có của người này kết thúc ngay.")],
    "Cấp mật khẩu dùng một lần", async () => {
      const r = await api("POST", `/api/v1/users/${id}/password-reset`);
      secretArea.replaceChildren(once("Mật khẩu dùng một lần (chỉ hiển thị lần này):", r.one_time_password,
        "Hãy chuyển cho người dùng qua kênh an toàn. Khi đăng nhập, người dùng phải đặt mật khẩu mới."));
    });
  const active = actionForm([], user.active ? "Khóa tài khoản" : "Mở khóa tài khoản", async () => {
    await api("PATCH", `/api/v1/users/${id}`, { active: !user.active });
    return reload(user.active ? "Đã khóa tài khoản; các mã truy cập của người này ngừng hoạt động." : "Đã mở khóa tài khoản.");
  }, { danger: user.active });
  const issue = actionForm([
    field("Mục đích", h("input", { name: "label", placeholder: "ví dụ: Đồng bộ với phần mềm quản lý văn bản" })),
    field("Hiệu lực (số ngày)", h("input", { name: "expires_in_days", inputmode: "numeric", placeholder: "để trống: không hết hạn" })),
  ], "Cấp mã truy cập", async (data, el) => {
    const body = {};
    if (data.get("label")) body.label = data.get("label");
    const days = String(data.get("expires_in_days") || "").trim();
    if (days) {
      if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 3650) {
        markField(el.querySelector("[name=expires_in_days]"), "Nhập số ngày từ 1 đến 3.650.");
        return;
      }
      body.expires_in_days = Number(days);
    }
    const t = await api("POST", `/api/v1/users/${id}/tokens`, body);
    flash(null);
    await go(`/admin/users/${id}`, true);
    document.getElementById("new-token").replaceChildren(once("Mã truy cập mới (chỉ hiển thị lần này, không lưu ở đâu cả):", t.token,
      "Dùng trong tiêu đề Authorization: Bearer … khi gọi API. Nếu làm mất, hãy thu hồi và cấp mã khác."));
  });
  show(user.display_name,
    h("p", {}, link("/admin/users", "← Người dùng")),
    said,
    h("section", { class: "panel", "aria-labelledby": "who" },
      h("h2", { id: "who" }, "Thông tin"),
      h("dl", { class: "facts" },
        h("dt", {}, "Tên đăng nhập"), h("dd", {}, user.login),
        h("dt", {}, "Vai trò"), h("dd", {}, ROLE[user.role]),
        h("dt", {}, "Đơn vị"), h("dd", {}, user.unit_id ? unitName(user.unit_id) : "—"),
        h("dt", {}, "Tình trạng"), h("dd", {}, user.active ? "Đang hoạt động" : "Đã khóa"),
        h("dt", {}, "Mật khẩu"), h("dd", {}, !user.has_password ? "Chưa có" : user.must_change_password ? "Mật khẩu dùng một lần, chờ đổi" : "Đã đặt")),
      h("details", { class: "action" }, h("summary", {}, "Sửa thông tin, vai trò, đơn vị"), edit)),
    h("section", { class: "panel", "aria-labelledby": "password" },
      h("h2", { id: "password" }, "Mật khẩu"), secretArea, reset),
    h("section", { class: "panel", "aria-labelledby": "tokens" },
      h("h2", { id: "tokens" }, "Mã truy cập API"),
      h("div", { id: "new-token", "aria-live": "polite" }),
      tokens.items.length ? h("ul", { class: "plain" }, tokens.items.map((t) => h("li", { class: "token" },
        `${t.label || "Không ghi mục đích"} — cấp lúc ${instant(t.created_at)}`,
        t.expires_at ? `, hết hạn ${date(t.expires_at)}` : "",
        t.revoked_at ? h("strong", {}, ` — đã thu hồi lúc ${instant(t.revoked_at)}`)
          : h("button", { type: "button", class: "secondary", onclick: async (e) => {
            e.target.disabled = true;
            try {
              await api("POST", `/api/v1/tokens/${t.id}/revoke`);
              reload("Đã thu hồi mã truy cập.");
            } catch (err) {
              say(said, explain(err), "error");
              e.target.disabled = false;
            }
          } }, "Thu hồi")))) : h("p", {}, "Chưa có mã truy cập nào."),
      h("details", { class: "action" }, h("summary", {}, "Cấp mã truy cập mới"), issue)),
    user.id === session.user.id ? null : h("section", { class: "panel", "aria-labelledby": "account-state" },
      h("h2", { id: "account-state" }, user.active ? "Khóa tài khoản" : "Mở khóa tài khoản"),
      user.active ? h("p", {}, "Người dùng bị khóa không đăng nhập được; các mã truy cập của người đó ngừng hoạt động ngay.") : null,
      active));
}

export async function unitsPage() {
  const [units, leaders] = await Promise.all([loadUnits(true), loadLeaders()]);
  const reload = (text) => {
    flash(text);
    return go("/admin/units", true);
  };
  const kindSelect = (chosen) => h("select", { name: "kind" }, Object.entries(UNIT_KIND).map(([v, t]) => h("option", { value: v, selected: v === chosen }, t)));
  const emailsOf = (text) => String(text || "").split(/[\s,;]+/).filter(Boolean);
  const create = actionForm([
    field("Mã đơn vị", h("input", { name: "code", required: true, placeholder: "ví dụ: SXD" }), "Chữ không dấu, số, dấu gạch; không trùng đơn vị khác."),
    field("Tên đơn vị", h("input", { name: "name", required: true, placeholder: "ví dụ: Sở Xây dựng" })),
    field("Loại", kindSelect("department")),
    field("Thư điện tử nhận nhắc việc", h("input", { name: "emails", placeholder: "vanthu@sxd.example.vn" }), "Nhiều địa chỉ cách nhau bằng dấu phẩy."),
  ], "Thêm đơn vị", async (data) => {
    await api("POST", "/api/v1/units", { code: data.get("code"), name: data.get("name"), kind: data.get("kind"), emails: emailsOf(data.get("emails")) });
    return reload(`Đã thêm ${data.get("name")}.`);
  });
  const active = units.filter((u) => u.active);
  const renamed = unitPicker({ name: "unit", label: "Đơn vị", options: unitOptions(active), required: true });
  const rename = actionForm([
    renamed.element,
    field("Tên mới", h("input", { name: "name", required: true })),
    field("Theo quyết định", h("input", { name: "note", placeholder: "ví dụ: Quyết định số 12/QĐ-UBND ngày 01/03/2025" })),
  ], "Đổi tên", async (data, el) => {
    const id = renamed.values()[0];
    if (!id) return markField(renamed.input, "Hãy chọn đơn vị.");
    await api("PATCH", `/api/v1/units/${id}`, { name: data.get("name"), note: data.get("note") || undefined });
    return reload(`Đã đổi tên thành ${data.get("name")}.`);
  });
  // The leader in charge of a unit's field: its new tasks follow them (digests, escalations).
  const overseen = unitPicker({ name: "unit", label: "Đơn vị", options: unitOptions(active), required: true });
  const assign = actionForm([
    overseen.element,
    field("Lãnh đạo phụ trách", h("select", { name: "leader_id" }, h("option", { value: "" }, "Chưa phân công"),
      leaders.map((l) => h("option", { value: l.id }, l.display_name)))),
    h("p", { class: "hint" }, "Nhiệm vụ mới của đơn vị do lãnh đạo này theo dõi: nhận tổng hợp hằng ngày và báo cáo quá hạn. Nhiệm vụ đã giao giữ nguyên lãnh đạo phụ trách."),
  ], "Lưu", async (data) => {
    const id = overseen.values()[0];
    if (!id) return markField(overseen.input, "Hãy chọn đơn vị.");
    const leader = data.get("leader_id") ? Number(data.get("leader_id")) : null;
    await api("PATCH", `/api/v1/units/${id}`, { leader_id: leader });
    return reload(`${unitName(id)}: lãnh đạo phụ trách là ${leaderName(leader)}.`);
  });
  const merged = unitPicker({ name: "unit_ids", label: "Các đơn vị sáp nhập", options: unitOptions(active), multiple: true });
  const into = unitPicker({ name: "into", label: "Sáp nhập vào đơn vị", options: unitOptions(active), required: true });
  const merge = actionForm([
    merged.element, into.element,
    field("Ngày có hiệu lực", dateInput("effective_on", null), "Để trống: hôm nay."),
    field("Theo quyết định", h("input", { name: "note", placeholder: "ví dụ: Nghị quyết số 15/NQ-HĐND" })),
    h("p", { class: "hint" }, "Nhiệm vụ chưa hoàn thành của các đơn vị sáp nhập chuyển sang đơn vị nhận; nhiệm vụ đã hoàn thành giữ nguyên đơn vị cũ để báo cáo đúng lịch sử."),
  ], "Sáp nhập", async (data) => {
    const ids = merged.values();
    const target = into.values()[0];
    if (!ids.length) return markField(merged.input, "Hãy chọn ít nhất một đơn vị.");
    if (!target) return markField(into.input, "Hãy chọn đơn vị nhận.");
    const body = { unit_ids: ids, into: target };
    const on = dateOf(data, "effective_on");
    if (on) body.effective_on = on;
    if (data.get("note")) body.note = data.get("note");
    const r = await api("POST", "/api/v1/units/merge", body);
    return reload(`Đã sáp nhập vào ${unitName(target)}; ${numbers.format(r.tasks_moved)} nhiệm vụ đã chuyển sang.`);
  }, { danger: true });
  show("Đơn vị",
    statusArea(),
    h("details", { class: "action panel" }, h("summary", {}, "Thêm đơn vị"), create),
    h("details", { class: "action panel" }, h("summary", {}, "Đổi tên đơn vị"), rename),
    h("details", { class: "action panel" }, h("summary", {}, "Phân công lãnh đạo phụ trách"), assign),
    h("details", { class: "action panel" }, h("summary", {}, "Sáp nhập đơn vị"), merge),
    h("table", { class: "cards" },
      h("caption", { class: "skip" }, "Danh sách đơn vị"),
      h("thead", {}, h("tr", {}, ["Đơn vị", "Mã", "Loại", "Lãnh đạo phụ trách", "Thư điện tử", "Tình trạng"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, units.map((u) => h("tr", {},
        h("td", { "data-label": "Đơn vị" }, u.name),
        h("td", { "data-label": "Mã" }, u.code),
        h("td", { "data-label": "Loại" }, UNIT_KIND[u.kind] || u.kind),
        h("td", { "data-label": "Lãnh đạo phụ trách" }, u.leader_id ? leaderName(u.leader_id) : "—"),
        h("td", { "data-label": "Thư điện tử" }, (u.emails || []).join(", ") || "—"),
        h("td", { "data-label": "Tình trạng" }, u.active ? "Đang hoạt động" : `Đã sáp nhập${u.successor_id ? ` vào ${unitName(u.successor_id)}` : ""}`))))));
}

const MESSAGE_STATE = { queued: "Chờ gửi", sent: "Đã gửi", dead: "Gửi không được" };
const CHANNEL = { email: "Thư điện tử", webhook: "Webhook" };

export async function outboxPage() {
  const params = new URLSearchParams(location.search);
  const state = params.get("state") || "dead";
  const [stats, page] = await Promise.all([
    api("GET", "/api/v1/outbox/stats"),
    api("GET", `/api/v1/outbox?state=${encodeURIComponent(state)}&limit=100`),
  ]);
  const said = statusArea();
  show("Thư và webhook",
    said,
    h("ul", { class: "tiles" }, [["Chờ gửi", stats.queued], ["Đã gửi", stats.sent], ["Gửi không được", stats.dead], ["Lần gửi lỗi", stats.failed_attempts]]
      .map(([t, n]) => h("li", {}, h("span", { class: "tile-label" }, t), h("strong", {}, numbers.format(n))))),
    stats.disabled_webhooks.length ? h("div", { class: "notice error" }, h("p", {}, "Webhook bị tắt vì nơi nhận trả lời 410 (không còn tồn tại):"),
      h("ul", {}, stats.disabled_webhooks.map((w) => h("li", {}, `${w.name} (${w.url}) từ ${instant(w.since)}`)))) : null,
    h("nav", { class: "tabs", "aria-label": "Lọc theo tình trạng" }, h("ul", {}, Object.entries(MESSAGE_STATE).map(([k, t]) =>
      h("li", {}, h("a", { href: `/admin/outbox?state=${k}`, "data-link": true, "aria-current": k === state ? "page" : null }, t))))),
    page.items.length ? h("table", { class: "cards" },
      h("caption", {}, `${MESSAGE_STATE[state] || state}: ${numbers.format(page.items.length)} tin gần nhất`),
      h("thead", {}, h("tr", {}, ["Tin", "Người nhận", "Số lần gửi", "Lỗi gần nhất", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, page.items.map((m) => h("tr", {},
        h("td", { "data-label": "Tin" }, `${CHANNEL[m.channel] || m.channel}: ${m.subject || m.event}`, h("span", { class: "hint" }, ` (${instant(m.created_at)})`)),
        h("td", { "data-label": "Người nhận" }, m.recipient),
        h("td", { "data-label": "Số lần gửi" }, numbers.format(m.attempts)),
        h("td", { "data-label": "Lỗi gần nhất" }, m.last_error || "—"),
        h("td", {}, m.state !== "sent" ? h("button", { type: "button", class: "secondary", "aria-label": `Gửi lại tin số ${m.id}`, onclick: async (e) => {
          e.target.disabled = true;
          try {
            await api("POST", `/api/v1/outbox/${m.id}/retry`);
            flash("Đã xếp tin vào hàng chờ gửi lại.");
            go(location.pathname + location.search, true);
          } catch (err) {
            say(said, explain(err), "error");
            e.target.disabled = false;
          }
        } }, "Gửi lại") : null))))) : h("p", {}, "Không có tin nào."));
}

const OUTCOME = { ok: "Thành công", unauthorized: "Chưa xác thực", forbidden: "Bị từ chối" };
// What each recorded action was, in words (the log keeps the API's names; the filter takes them).
const ACTION = {
  auth: "Xác thực", "session.sign_in": "Đăng nhập", "session.sign_out": "Đăng xuất",
  "task.create": "Giao nhiệm vụ", "task.import": "Nhập nhiệm vụ từ tệp", "task.edit": "Sửa nhiệm vụ",
  "task.read": "Xem nhiệm vụ", "task.note": "Báo cáo tiến độ", "task.report": "Báo cáo hoàn thành",
  "task.confirm": "Xác nhận hoàn thành", "task.reopen": "Trả lại nhiệm vụ", "task.suspend": "Tạm dừng",
  "task.resume": "Tiếp tục thực hiện", "task.cancel": "Hủy nhiệm vụ",
  "extension.request": "Đề nghị gia hạn", "extension.decide": "Quyết định gia hạn",
  "extension.approve": "Đồng ý gia hạn", "extension.reject": "Không đồng ý gia hạn",
  "extension.withdraw": "Rút đề nghị gia hạn", "extension.read": "Xem đề nghị gia hạn",
  "unit.create": "Thêm đơn vị", "unit.update": "Sửa đơn vị", "unit.merge": "Sáp nhập đơn vị",
  "unit.read": "Xem đơn vị", "unit.write": "Sửa đơn vị",
  "user.create": "Tạo người dùng", "user.update": "Sửa người dùng", "user.deactivate": "Khóa tài khoản",
  "user.manage": "Quản lý người dùng", "user.password_change": "Đổi mật khẩu",
  "user.password_reset": "Cấp mật khẩu dùng một lần", "user.password_set": "Đặt mật khẩu",
  "token.issue": "Cấp mã truy cập", "token.revoke": "Thu hồi mã truy cập",
  "outbox.retry": "Gửi lại tin", "outbox.manage": "Quản lý hàng đợi tin",
};

export async function auditPage() {
  const here = location.pathname;  // /admin/audit for an admin, /audit for a leader
  const params = new URLSearchParams(location.search);
  const filters = h("form", { class: "panel filters", role: "search", novalidate: true },
    field("Người thực hiện", h("input", { name: "actor", value: params.get("actor") || "" })),
    field("Thao tác", h("input", { name: "action", value: params.get("action") || "", placeholder: "ví dụ: task.create" })),
    field("Đối tượng", h("input", { name: "target", value: params.get("target") || "", placeholder: "ví dụ: task/12" })),
    field("Kết quả", h("select", { name: "outcome" }, h("option", { value: "" }, "Tất cả"),
      Object.entries(OUTCOME).map(([v, t]) => h("option", { value: v, selected: params.get("outcome") === v }, t)))),
    field("Từ ngày", dateInput("from", params.get("from"))),
    field("Đến ngày", dateInput("to", params.get("to"))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Lọc"), params.toString() ? link(here, "Bỏ lọc") : null));
  filtersInAddress(filters, here);
  const query = new URLSearchParams();
  for (const k of ["actor", "action", "target", "outcome", "from", "to"]) if (params.get(k)) query.set(k, params.get(k));
  query.set("limit", "100");
  const page = await api("GET", `/api/v1/audit?${query}`);
  show("Nhật ký hệ thống", filters,
    page.items.length ? h("table", { class: "cards" },
      h("caption", {}, "Nhật ký, mới nhất trước"),
      h("thead", {}, h("tr", {}, ["Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Kết quả", "Chi tiết"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, page.items.map((a) => h("tr", {},
        h("td", { "data-label": "Thời điểm", class: "date" }, instant(a.at), a.count > 1 ? h("span", { class: "hint" }, ` (${numbers.format(a.count)} lần, đến ${instant(a.last_at)})`) : null),
        h("td", { "data-label": "Người thực hiện" }, a.actor || "—"),
        h("td", { "data-label": "Thao tác" }, ACTION[a.action] || a.action, ACTION[a.action] ? h("span", { class: "hint" }, ` (${a.action})`) : null),
        h("td", { "data-label": "Đối tượng" }, a.target || "—"),
        h("td", { "data-label": "Kết quả" }, OUTCOME[a.outcome] || a.outcome),
        h("td", { "data-label": "Chi tiết" }, a.detail || ""))))) : h("p", {}, "Không có mục nào khớp điều kiện lọc."),
    page.next ? h("p", { class: "hint" }, "Chỉ hiển thị 100 mục gần nhất; hãy thu hẹp điều kiện lọc để xem các mục cũ hơn.") : null);
}
