// dondoc's pages, drawn in the browser from the JSON API (docs/design.md, "The web interface"):
// the frame around every page (navigation by role, the account) and which page a path opens.
import { h, link, api, session, ROLE, go, onNavigate, errorPage, notFoundPage, forgetSession } from "./core.js";
import { signInPage, passwordPage } from "./pages-account.js";
import { taskListPage, taskPage } from "./pages-tasks.js";
import { registerPage, importPage } from "./pages-register.js";
import { unitHomePage } from "./pages-unit.js";
import { dashboardPage } from "./pages-leader.js";
import { reportsPage } from "./pages-reports.js";
import { seriesListPage, seriesNewPage, seriesPage } from "./pages-series.js";
import { usersPage, userPage, unitsPage, outboxPage, auditPage } from "./pages-admin.js";

const nav = document.getElementById("nav");
const account = document.getElementById("account");

// Where each role starts, and what its menu holds: only what the API lets it do.
const MENU = {
  office: [["/tasks", "Danh sách nhiệm vụ"], ["/tasks/new", "Giao nhiệm vụ"], ["/series", "Định kỳ"], ["/tasks/import", "Nhập từ tệp"], ["/reports", "Báo cáo"]],
  leader: [["/dashboard", "Tổng quan"], ["/tasks", "Danh sách nhiệm vụ"], ["/series", "Định kỳ"], ["/reports", "Báo cáo"], ["/audit", "Nhật ký"]],
  unit: [["/unit", "Việc của đơn vị"], ["/tasks", "Tất cả nhiệm vụ"]],
  admin: [["/admin/users", "Người dùng"], ["/admin/units", "Đơn vị"], ["/admin/outbox", "Thư và webhook"], ["/admin/audit", "Nhật ký"]],
};

const routes = [
  [/^\/$/, home],
  [/^\/sign-in$/, signInPage],
  [/^\/password$/, passwordPage],
  [/^\/tasks$/, taskListPage],
  [/^\/tasks\/new$/, registerPage],
  [/^\/tasks\/import$/, importPage],
  [/^\/tasks\/(\d+)$/, taskPage],
  [/^\/series$/, seriesListPage],
  [/^\/series\/new$/, seriesNewPage],
  [/^\/series\/(\d+)$/, seriesPage],
  [/^\/unit$/, unitHomePage],
  [/^\/dashboard$/, dashboardPage],
  [/^\/reports$/, reportsPage],
  [/^\/admin\/users$/, usersPage],
  [/^\/admin\/users\/(\d+)$/, userPage],
  [/^\/admin\/units$/, unitsPage],
  [/^\/admin\/outbox$/, outboxPage],
  [/^\/admin\/audit$/, auditPage],
  [/^\/audit$/, auditPage],  // a leader reads the audit log too
];

function home() {
  return go((MENU[session.user.role] || [["/password"]])[0][0], true);
}

function drawChrome() {
  nav.replaceChildren();
  account.replaceChildren();
  if (!session.user) return;
  const here = location.pathname;
  const items = session.mustChange ? [] : MENU[session.user.role] || [];
  // The longest menu path the address starts with is the page we are on.
  const current = items.map(([href]) => href).filter((href) => here === href || here.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  nav.append(h("ul", {}, items.map(([href, text]) =>
    h("li", {}, h("a", { href, "data-link": true, "aria-current": href === current ? "page" : null }, text)))));
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
  forgetSession();
  go("/sign-in");
}

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

document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-link]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  go(a.getAttribute("href"));
});
window.addEventListener("popstate", render);
onNavigate(render);
render();
