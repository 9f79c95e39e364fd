// Signing in and choosing one's own password.
import { h, link, show, api, session, numbers, ApiError, go, fieldErrors, main } from "./core.js";

export function signInPage() {
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

export function passwordPage() {
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
      if (err.status === 400) fieldErrors(form, err.problem.errors);
      else status.replaceChildren(h("p", { class: "notice error" }, "Không đổi được mật khẩu lúc này. Vui lòng thử lại sau."));
    }
  });
  show("Đổi mật khẩu", form);
}
