// The province's workflow through the pages, end to end, each role in its own browser: the
// Office registers two tasks from one document, the department reports one done and asks for
// more time on the other, a leader approves from the dashboard, the Office confirms. Then what
// each role may not do, the CSV register refused row by row, an admin's password reset, the
// sign-in slowed after wrong passwords, and every page photographed and checked by axe-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  Daemon, launch, openPage, signIn, accessibilityProblems, screenshot, desktop, phone,
} from "./harness.mjs";

const PASSWORD = "Mật khẩu đủ dài 2026";
let daemon;
let browser;
let adminToken;
let officeToken;
const ids = {};
const people = {
  vanphong: ["Chuyên viên Văn phòng UBND tỉnh", "office"],
  lanhdao: ["Phó Chủ tịch UBND tỉnh", "leader"],
  lanhdao2: ["Chủ tịch UBND tỉnh", "leader"],
  sxd: ["Văn thư Sở Xây dựng", "unit", "SXD"],
  quantri: ["Quản trị hệ thống", "admin"],
  dtn: ["Văn thư Đoàn Thanh niên tỉnh", "unit", "DTN"],
};

// dd/mm/yyyy of today plus n days in Hanoi (UTC+7, no daylight saving), as the daemon and the
// browsers (opened in Asia/Ho_Chi_Minh) count days: between 17:00 and 24:00 UTC it is already
// tomorrow there.
function dayFromToday(n) {
  const d = new Date(Date.now() + 7 * 3600e3 + n * 86400e3);
  return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
}
const iso = (dmy) => dmy.split("/").reverse().join("-");

before(async () => {
  daemon = new Daemon();
  daemon.addUser("quantri", ...people.quantri);
  daemon.addUser("vanphong", ...people.vanphong);
  adminToken = daemon.token("quantri");
  officeToken = daemon.token("vanphong");
  await daemon.start();
  for (const [code, name] of [["SXD", "Sở Xây dựng"], ["STC", "Sở Tài chính"], ["DTN", "Đoàn Thanh niên tỉnh"], ["SYT", "Sở Y tế"],
    ["SGDDT", "Sở Giáo dục và Đào tạo"], ["SNGV", "Sở Đối ngoại"], ["SDL", "Sở Du lịch"]]) {
    ids[code] = (await daemon.api(adminToken, "POST", "/api/v1/units", { code, name, kind: "department" })).id;
  }
  for (const [login, [name, role, unit]] of Object.entries(people)) {
    if (login !== "quantri" && login !== "vanphong") daemon.addUser(login, name, role, unit);
    daemon.setPassword(login, PASSWORD);
  }
  ids.health = (await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title: "Kiểm tra an toàn thực phẩm dịp Tết", lead_unit_id: ids.SYT, due_on: iso(dayFromToday(40)),
  })).id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function as(login, viewport = desktop) {
  const { context, page } = await openPage(browser, daemon.base, viewport);
  await signIn(page, daemon.base, login, PASSWORD);
  await page.locator("#account .who").waitFor();
  return { context, page };
}
function clean(page) {
  assert.deepEqual(page.offOrigin, [], "no request leaves dondoc's origin");
  assert.deepEqual(page.scriptErrors, [], "no script error");
  assert.deepEqual(page.dialogs, [], "no dialog opened");
}
// An action's fold, opened by its title; a form's submit button, by its words.
const unfold = (scope, text) => scope.locator("summary").filter({ hasText: new RegExp(`^${text}$`) }).click();
const submit = (scope, text) => scope.locator("button[type=submit]").filter({ hasText: new RegExp(`^${text}$`) }).click();
// What the page's own session may read from the API, for comparing figures with the page.
const fetchJson = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

test("the workflow: register two tasks from one document, report, ask for time, approve, confirm", async () => {
  const due1 = dayFromToday(30);

  // The Office registers both tasks of one conclusion, units picked by typing without diacritics.
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/new`);
  await office.page.getByRole("heading", { name: "Giao nhiệm vụ" }).waitFor();
  await office.page.getByLabel("Số, ký hiệu văn bản").fill("128/TB-UBND");
  await office.page.getByLabel("Ngày văn bản").fill(dayFromToday(0));
  await office.page.getByLabel("Trích yếu văn bản").fill("Kết luận của Chủ tịch UBND tỉnh tại phiên họp thường kỳ");
  const rows = office.page.locator("li.task-row");
  await rows.nth(0).getByLabel("Nội dung nhiệm vụ").fill("Hoàn thiện quy hoạch chung đô thị mới phía Tây");
  await rows.nth(0).getByRole("combobox", { name: "Đơn vị chủ trì" }).fill("xay dung");
  await office.page.getByRole("option", { name: /Sở Xây dựng/ }).click();
  await rows.nth(0).getByRole("combobox", { name: "Đơn vị phối hợp" }).fill("tai chinh");
  await office.page.getByRole("option", { name: /Sở Tài chính/ }).click();
  await rows.nth(0).getByLabel("Thời hạn").fill(due1);
  await rows.nth(1).getByLabel("Nội dung nhiệm vụ").fill("Đề xuất cơ chế hỗ trợ nhà ở xã hội");
  await rows.nth(1).getByRole("combobox", { name: "Đơn vị chủ trì" }).fill("xay");
  await office.page.getByRole("option", { name: /Sở Xây dựng/ }).click();
  await rows.nth(1).getByLabel("Thời hạn").fill("10 ngày làm việc");
  await office.page.getByRole("button", { name: "Kiểm tra" }).click();
  await office.page.getByText("Đã kiểm tra: 2 nhiệm vụ hợp lệ").waitFor();
  const computed = await rows.nth(1).locator(".computed").innerText();
  assert.match(computed, /^Hạn hoàn thành: \d{2}\/\d{2}\/\d{4}$/, "the computed deadline is shown before saving");
  assert.equal((await daemon.api(officeToken, "GET", "/api/v1/tasks?source_ref=128/TB-UBND")).total, 0, "a check registers nothing");
  await screenshot(office.page, "register-checked-desktop");
  await office.page.getByRole("button", { name: "Giao nhiệm vụ", exact: true }).click();
  await office.page.getByRole("heading", { name: "Đã giao nhiệm vụ" }).waitFor();
  const made = (await daemon.api(officeToken, "GET", "/api/v1/tasks?source_ref=128/TB-UBND&sort=id")).items;
  assert.equal(made.length, 2);
  const [plan, housing] = made;
  assert.equal(plan.lead_unit_id, ids.SXD);
  assert.deepEqual(plan.coordinating_unit_ids, [ids.STC]);
  assert.equal(plan.due_on, iso(due1));
  assert.equal(housing.source_title, "Kết luận của Chủ tịch UBND tỉnh tại phiên họp thường kỳ");
  assert.equal(`Hạn hoàn thành: ${housing.due_on.split("-").reverse().join("/")}`, computed, "saved as previewed");
  clean(office.page);

  // The department: its tasks by urgency, lead told apart; it reports one done, asks time for the other.
  const unit = await as("sxd");
  await unit.page.getByRole("heading", { name: "Sở Xây dựng" }).waitFor();
  const home = await unit.page.locator("main").innerText();
  assert.match(home, /Hoàn thiện quy hoạch chung đô thị mới phía Tây/);
  assert.match(home, /Chủ trì/);
  assert.doesNotMatch(home, /Kiểm tra an toàn thực phẩm/, "another unit's task is not listed");
  await screenshot(unit.page, "unit-home-desktop");
  await unit.page.getByRole("link", { name: "Hoàn thiện quy hoạch chung đô thị mới phía Tây" }).click();
  await unit.page.getByRole("heading", { name: "Thông tin nhiệm vụ" }).waitFor();
  for (const forbidden of ["Xác nhận hoàn thành", "Sửa thông tin", "Hủy nhiệm vụ", "Tạm dừng", "Đồng ý"]) {
    assert.equal(await unit.page.locator("summary, button").filter({ hasText: new RegExp(`^${forbidden}$`) }).count(), 0, `a unit sees no "${forbidden}"`);
  }
  await unfold(unit.page, "Báo cáo hoàn thành");
  await unit.page.getByLabel("Số, ký hiệu văn bản báo cáo").fill("125/BC-SXD");
  await submit(unit.page, "Gửi báo cáo hoàn thành");
  await unit.page.getByText("Đã gửi báo cáo hoàn thành").waitFor();
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${plan.id}`)).state, "reported");

  const proposed = dayFromToday(60);
  await unit.page.goto(`${daemon.base}/tasks/${housing.id}`);
  await unfold(unit.page, "Đề nghị gia hạn");
  await unit.page.getByLabel("Đề nghị gia hạn đến ngày").fill("31/02/2026");
  await unit.page.getByLabel("Lý do").fill("Chờ ý kiến thẩm định của Bộ Xây dựng");
  await submit(unit.page, "Gửi đề nghị gia hạn");
  await unit.page.getByText("Ngày không hợp lệ").waitFor();  // a bad date is caught in the page
  await unit.page.getByLabel("Đề nghị gia hạn đến ngày").fill(proposed);
  await unit.page.getByLabel("Số, ký hiệu văn bản đề nghị").fill("210/SXD-VP");
  await submit(unit.page, "Gửi đề nghị gia hạn");
  await unit.page.getByText("Đã gửi đề nghị gia hạn").waitFor();
  await screenshot(unit.page, "unit-task-extension-desktop");
  clean(unit.page);

  // Two leaders open the dashboard; the first approves, the second's decision meets a 409 in words.
  const leader = await as("lanhdao");
  const other = await as("lanhdao2");
  for (const l of [leader, other]) {
    await l.page.getByRole("heading", { name: "Tổng quan" }).waitFor();
    await l.page.getByRole("heading", { name: /Đề nghị gia hạn chờ quyết định \(1\)/ }).waitFor();
  }
  const request = leader.page.locator("li.extension").filter({ hasText: "Đề xuất cơ chế hỗ trợ nhà ở xã hội" });
  const card = await request.innerText();
  assert.match(card, /Sở Xây dựng/);
  assert.match(card, new RegExp(proposed.replace(/\//g, "\\/")));
  assert.match(card, new RegExp(housing.due_on.split("-").reverse().join("\\/")), "the current deadline");
  assert.match(card, /Chờ ý kiến thẩm định của Bộ Xây dựng/);
  assert.match(card, /Văn bản giao/, "the task's source document, from the request itself");
  await screenshot(leader.page, "dashboard-pending-desktop");
  await unfold(request, "Đồng ý");
  await request.getByLabel("Ý kiến (không bắt buộc)").fill("Đồng ý, đề nghị khẩn trương hoàn thành");
  await submit(request, "Đồng ý gia hạn");
  await leader.page.getByText("Đã ghi nhận quyết định").waitFor();
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${housing.id}`)).due_on, iso(proposed));

  const late = other.page.locator("li.extension").filter({ hasText: "Đề xuất cơ chế hỗ trợ nhà ở xã hội" });
  await unfold(late, "Không đồng ý");
  await late.getByLabel("Lý do không đồng ý").fill("Chưa đủ căn cứ");
  await submit(late, "Không đồng ý");
  const race = await late.locator(".notice.error").innerText();
  assert.match(race, /đã được xử lý trước đó: đã đồng ý/, "the race is explained in words");
  clean(leader.page);
  clean(other.page);
  await other.context.close();

  // The Office confirms the reported completion.
  await office.page.goto(`${daemon.base}/tasks/${plan.id}`);
  await unfold(office.page, "Xác nhận hoàn thành");
  await submit(office.page, "Xác nhận hoàn thành");
  await office.page.getByText("Đã xác nhận hoàn thành").waitFor();
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${plan.id}`)).state, "done");
  await office.page.goto(`${daemon.base}/tasks/${housing.id}`);
  const history = await office.page.locator("ol.history").innerText();
  assert.match(history, new RegExp(`Sở Xây dựng đề nghị gia hạn đến ${proposed.replace(/\//g, "\\/")}: Chờ ý kiến thẩm định`));
  assert.match(history, new RegExp(`Lãnh đạo UBND tỉnh đồng ý gia hạn đến ${proposed.replace(/\//g, "\\/")}`));
  clean(office.page);

  // The dashboard's figures are the summary report's, not recounted in the page.
  await leader.page.goto(`${daemon.base}/dashboard`);
  await leader.page.locator("table.figures tr.sum").first().waitFor();  // drawn, not the placeholder
  await leader.page.locator("main:not(:has(section[aria-busy])) svg.bar").first().waitFor();
  const summary = await fetchJson(leader.page, `/api/v1/reports/summary?from=${iso(dayFromToday(0)).slice(0, 4)}-01-01&to=${iso(dayFromToday(0))}`);
  const cells = await leader.page.locator("table.figures").first().locator("tr.sum td").allInnerTexts();
  const want = ["total", "done_on_time", "done_late", "open_on_time", "open_overdue", "suspended", "cancelled"]
    .map((k) => new Intl.NumberFormat("vi-VN").format(summary.total[k]));
  assert.deepEqual(cells.slice(0, 7), want);
  assert.equal(summary.total.total, 3);
  assert.equal(summary.total.done_on_time, 1);
  const bars = await leader.page.locator("svg.bar").count();
  assert.equal(bars, 2, "one bar for each unit that leads a task");
  assert.match(await leader.page.locator("svg.bar").first().getAttribute("aria-label"), /Sở Xây dựng: 2 nhiệm vụ/);
  clean(leader.page);
  await Promise.all([office.context.close(), unit.context.close(), leader.context.close()]);
});

test("a request whose task moves on closes itself, and a deadline moved directly needs the deciding document", async () => {
  const sxdToken = daemon.token("sxd");
  const title = "Rà soát danh mục dự án nhà ở thương mại năm 2026";
  const task = await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title, source_ref: "88/TB-UBND", lead_unit_id: ids.SXD, due_on: iso(dayFromToday(30)),
  });
  await daemon.api(sxdToken, "POST", `/api/v1/tasks/${task.id}/extensions`, {
    proposed_due_on: iso(dayFromToday(50)), reason: "Chờ số liệu của Cục Thống kê",
  });
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/${task.id}`);
  await unfold(office.page, "Sửa thông tin");
  await office.page.getByLabel("Thời hạn", { exact: true }).fill(dayFromToday(45));
  await submit(office.page, "Lưu thay đổi");
  await office.page.getByText("Cần ghi khi đổi thời hạn.").first().waitFor();
  assert.equal(await office.page.getByText("Cần ghi khi đổi thời hạn.").count(), 2, "the reason and the document");
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}`)).due_on, task.due_on, "nothing saved");
  await office.page.getByLabel("Lý do thay đổi").fill("Theo kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban");
  await office.page.getByLabel("Văn bản quyết định đổi thời hạn").fill("130/TB-UBND");
  await submit(office.page, "Lưu thay đổi");
  await office.page.getByText("Đã lưu thay đổi").waitFor();
  const from = dayFromToday(30).replace(/\//g, "\\/");
  const to = dayFromToday(45).replace(/\//g, "\\/");
  const panel = await office.page.locator("section[aria-labelledby=extensions]").innerText();
  assert.match(panel, /Tự đóng: thời hạn đã được điều chỉnh trực tiếp/);
  assert.match(panel, new RegExp(`Điều chỉnh thời hạn — Văn phòng UBND tỉnh đổi thời hạn từ ${from} thành ${to} theo văn bản số 130\\/TB-UBND`));
  const history = await office.page.locator("ol.history").innerText();
  assert.match(history, /Đề nghị gia hạn tự đóng: thời hạn đã được điều chỉnh trực tiếp\./);
  assert.match(history, new RegExp(`Thời hạn đổi từ ${from} thành ${to} \\(Theo kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban \\(130\\/TB-UBND\\)\\)`));
  assert.doesNotMatch(history, /extension request/, "no API words in the history");
  const saved = await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}`);
  assert.equal(saved.original_due_on, task.due_on, "the first deadline is kept");
  assert.equal(saved.extension_count, 1);
  for (const viewport of [desktop, phone]) {
    await office.page.setViewportSize(viewport);
    await screenshot(office.page, `task-deadline-moved-${viewport === desktop ? "desktop" : "phone"}`);
  }
  clean(office.page);

  // Nothing stale waits for a leader.
  const leader = await as("lanhdao");
  await leader.page.getByRole("heading", { name: /Đề nghị gia hạn chờ quyết định/ }).waitFor();
  assert.equal(await leader.page.locator("li.extension").filter({ hasText: title }).count(), 0);
  clean(leader.page);
  await Promise.all([office.context.close(), leader.context.close()]);
});

test("the admin names a unit's leader in charge; that leader marks a key task and reads 'my tasks' on the dashboard", async () => {
  const leaders = (await daemon.api(adminToken, "GET", "/api/v1/leaders")).items;
  const me = leaders.find((l) => l.login === "lanhdao");
  const admin = await as("quantri");
  await admin.page.goto(`${daemon.base}/admin/units`);
  await unfold(admin.page, "Phân công lãnh đạo phụ trách");
  const assign = admin.page.locator("form").filter({ has: admin.page.getByRole("button", { name: "Lưu" }) });
  await assign.getByRole("combobox", { name: "Đơn vị" }).fill("y te");
  await admin.page.getByRole("option", { name: "Sở Y tế" }).click();
  await assign.getByLabel("Lãnh đạo phụ trách").selectOption({ label: people.lanhdao[0] });
  await submit(admin.page, "Lưu");
  await admin.page.getByText(`Sở Y tế: lãnh đạo phụ trách là ${people.lanhdao[0]}`).waitFor();
  assert.equal((await daemon.api(adminToken, "GET", `/api/v1/units/${ids.SYT}`)).leader_id, me.id);
  clean(admin.page);
  await admin.context.close();

  const title = "Kiểm tra công tác phòng, chống dịch bệnh mùa mưa";
  const task = await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title, source_ref: "92/TB-UBND", lead_unit_id: ids.SYT, due_on: iso(dayFromToday(25)),
  });
  assert.equal(task.leader_id, me.id, "a new task follows its unit's leader in charge");
  const leader = await as("lanhdao");
  await leader.page.goto(`${daemon.base}/tasks/${task.id}`);
  const facts = await leader.page.locator("dl.facts").innerText();
  assert.match(facts, new RegExp(`Lãnh đạo phụ trách\\s+${people.lanhdao[0]}`));
  await unfold(leader.page, "Đánh dấu trọng tâm");
  await submit(leader.page, "Đánh dấu là nhiệm vụ trọng tâm");
  await leader.page.getByText("Đã đánh dấu là nhiệm vụ trọng tâm.").waitFor();
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}`)).key_task, true);
  assert.match(await leader.page.locator("ol.history").innerText(), /Đánh dấu là nhiệm vụ trọng tâm\./);

  // My tasks: the figures are the summary's for this leader; all tasks: more of them.
  await leader.page.goto(`${daemon.base}/dashboard`);
  await leader.page.getByRole("link", { name: "Nhiệm vụ tôi phụ trách" }).click();
  await leader.page.locator("main:not(:has(section[aria-busy])) table.figures tr.sum").first().waitFor();
  const year = iso(dayFromToday(0)).slice(0, 4);
  const summary = await fetchJson(leader.page, `/api/v1/reports/summary?from=${year}-01-01&to=${iso(dayFromToday(0))}&leader_id=${me.id}`);
  const cells = await leader.page.locator("table.figures").first().locator("tr.sum td").allInnerTexts();
  assert.equal(cells[0], new Intl.NumberFormat("vi-VN").format(summary.total.total));
  assert.equal(summary.total.total, 1, "the one task in this leader's charge");
  const keyRows = await leader.page.locator("section[aria-labelledby=key] tbody tr").allInnerTexts();
  assert.equal(keyRows.length, 1);
  assert.match(keyRows[0], new RegExp(title));
  for (const viewport of [desktop, phone]) {
    await leader.page.setViewportSize(viewport);
    await screenshot(leader.page, `dashboard-mine-${viewport === desktop ? "desktop" : "phone"}`);
  }
  await leader.page.setViewportSize(desktop);
  await leader.page.getByRole("link", { name: "Tất cả nhiệm vụ" }).click();
  await leader.page.locator("main:not(:has(section[aria-busy])) table.figures tr.sum").first().waitFor();
  const all = await leader.page.locator("table.figures").first().locator("tr.sum td").first().innerText();
  assert.ok(Number(all.replace(/\D/g, "")) > 1, `every task: ${all}`);

  // The reports page, for one leader in charge: the figures and the files are theirs.
  await leader.page.goto(`${daemon.base}/reports`);
  await leader.page.getByLabel("Lãnh đạo phụ trách").selectOption({ label: `${people.lanhdao[0]} (tôi)` });
  await leader.page.waitForURL(/leader_id=/);
  await leader.page.getByText(`nhiệm vụ do ${people.lanhdao[0]} phụ trách`).waitFor();
  const reportCells = await leader.page.locator("table.figures").first().locator("tr.sum td").allInnerTexts();
  assert.equal(reportCells[0], "1");
  const xlsx = await leader.page.getByRole("link", { name: "Tải tệp Excel (XLSX)" }).first().getAttribute("href");
  assert.match(xlsx, new RegExp(`leader_id=${me.id}`));
  clean(leader.page);
  await leader.context.close();
});

test("a department gets the 403 page for what it may not do, and another unit's task is a 404 page", async () => {
  const unit = await as("dtn");
  await unit.page.goto(`${daemon.base}/admin/users`);
  await unit.page.getByRole("heading", { name: "Không có quyền truy cập" }).waitFor();
  await unit.page.goto(`${daemon.base}/tasks/${ids.health}`);
  await unit.page.getByRole("heading", { name: "Không tìm thấy trang" }).waitFor();
  assert.doesNotMatch(await unit.page.locator("main").innerText(), /Kiểm tra an toàn thực phẩm|\{/);
  // A forged confirm, with a valid CSRF token: the API refuses it, as the page never offers it.
  const status = await unit.page.evaluate(async (id) => {
    const s = await (await fetch("/api/v1/session")).json();
    const r = await fetch(`/api/v1/tasks/${id}/confirm`, { method: "POST", headers: { "X-CSRF-Token": s.csrf_token, "Content-Type": "application/json" }, body: "{}" });
    return r.status;
  }, ids.health);
  assert.equal(status, 403, "confirming is not a unit's to do");
  await unit.page.goto(`${daemon.base}/tasks/new`);
  await unit.page.getByLabel("Nội dung nhiệm vụ").first().fill("Nhiệm vụ tự giao");
  await unit.page.getByRole("combobox", { name: "Đơn vị chủ trì" }).first().fill("doan thanh nien");
  await unit.page.getByRole("option", { name: /Đoàn Thanh niên tỉnh/ }).click();
  await unit.page.getByRole("button", { name: "Giao nhiệm vụ", exact: true }).click();
  await unit.page.getByText("không được phép").waitFor();
  clean(unit.page);
  await unit.context.close();
});

test("a CSV register with one bad row is refused with its row and column, and nothing is registered", async () => {
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/import`);
  const before = (await daemon.api(officeToken, "GET", "/api/v1/tasks")).total;
  const csv = "\"Số, ký hiệu văn bản\",Nội dung nhiệm vụ,Đơn vị chủ trì,Thời hạn\n" +
    "130/TB-UBND,Rà soát hồ sơ đất đai,SXD,30/06/2027\n" +
    "130/TB-UBND,Kiểm tra dự án chậm tiến độ,SXD,31/02/2027\n";
  await office.page.getByLabel("Tệp CSV (UTF-8)").setInputFiles({ name: "so-giao-viec.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await office.page.getByRole("button", { name: "Nhập và giao nhiệm vụ" }).click();
  const problems = office.page.locator("table").filter({ hasText: "Các lỗi trong tệp" });
  await problems.waitFor();
  const rows = await problems.locator("tbody tr").allInnerTexts();
  assert.equal(rows.length, 1, rows.join("\n"));
  assert.match(rows[0], /^3\s+Thời hạn\s+/);
  assert.equal((await daemon.api(officeToken, "GET", "/api/v1/tasks")).total, before, "nothing registered");
  await screenshot(office.page, "import-refused-desktop");
  clean(office.page);
  await office.context.close();
});

test("an admin resets a password, and the user must choose a new one before anything else", async () => {
  const admin = await as("quantri");
  await admin.page.getByRole("heading", { name: "Người dùng" }).waitFor();
  await admin.page.getByRole("link", { name: "Văn thư Đoàn Thanh niên tỉnh" }).click();
  await admin.page.getByRole("button", { name: "Cấp mật khẩu dùng một lần" }).click();
  const oneTime = (await admin.page.locator(".secret code").innerText()).trim();
  assert.ok(oneTime.length >= 10);
  clean(admin.page);
  await admin.context.close();

  const { context, page } = await openPage(browser, daemon.base);
  await signIn(page, daemon.base, "dtn", PASSWORD);
  await page.getByText("Tên đăng nhập hoặc mật khẩu không đúng").waitFor();  // the old one is gone
  await signIn(page, daemon.base, "dtn", oneTime, "/unit");
  await page.getByRole("heading", { name: "Đổi mật khẩu" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/password");
  assert.equal(await page.locator("#nav a").count(), 0, "no menu until the password is chosen");
  await page.getByLabel("Mật khẩu một lần").fill(oneTime);
  await page.getByLabel("Mật khẩu mới").fill("Một mật khẩu mới rất dài");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await page.getByText("Đã đổi mật khẩu").waitFor();
  await page.getByRole("link", { name: "Về trang chính" }).click();
  await page.getByRole("heading", { name: "Đoàn Thanh niên tỉnh" }).waitFor();
  clean(page);
  await context.close();
});

test("the Office edits a task someone changed meanwhile, is told what changed, then suspends, resumes and cancels it", async () => {
  const id = (await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title: "Tổng kết mô hình chuyển đổi số cấp xã", lead_unit_id: ids.STC, due_on: iso(dayFromToday(20)),
  })).id;
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/${id}`);
  await unfold(office.page, "Sửa thông tin");
  await office.page.getByLabel("Nội dung nhiệm vụ").fill("Tổng kết mô hình chuyển đổi số cấp xã, phường");
  // Meanwhile someone else moves the deadline.
  const before = await fetch(`${daemon.base}/api/v1/tasks/${id}`, { headers: { Authorization: `Bearer ${officeToken}` } });
  await fetch(`${daemon.base}/api/v1/tasks/${id}`, {
    method: "PATCH", body: JSON.stringify({ due_on: iso(dayFromToday(45)), note: "Theo ý kiến của Chủ tịch UBND tỉnh", decision_ref: "118/TB-UBND" }),
    headers: { Authorization: `Bearer ${officeToken}`, "Content-Type": "application/json", "If-Match": before.headers.get("ETag") },
  });
  await submit(office.page, "Lưu thay đổi");
  const told = await office.page.getByText("người khác đã thay đổi nhiệm vụ này").locator("..").innerText();
  assert.match(told, new RegExp(`Thời hạn: ${dayFromToday(20).replace(/\//g, "\\/")} → ${dayFromToday(45).replace(/\//g, "\\/")}`), told);
  // Saved again, on top of the other change: both stand.
  await submit(office.page, "Lưu thay đổi");
  await office.page.getByText("Đã lưu thay đổi").waitFor();
  const saved = await daemon.api(officeToken, "GET", `/api/v1/tasks/${id}`);
  assert.equal(saved.title, "Tổng kết mô hình chuyển đổi số cấp xã, phường");
  assert.equal(saved.due_on, iso(dayFromToday(45)), "the other person's deadline is kept");

  await unfold(office.page, "Tạm dừng");
  await office.page.getByLabel("Lý do tạm dừng").fill("Chờ hướng dẫn của Bộ Khoa học và Công nghệ");
  await submit(office.page, "Tạm dừng");
  await office.page.getByText("Đã tạm dừng nhiệm vụ").waitFor();
  await unfold(office.page, "Tiếp tục thực hiện");
  await submit(office.page, "Tiếp tục");
  await office.page.getByText("Nhiệm vụ tiếp tục thực hiện").first().waitFor();
  await unfold(office.page, "Hủy nhiệm vụ");
  await submit(office.page, "Hủy nhiệm vụ");
  await office.page.getByText("Vui lòng nhập trường này").waitFor();  // a reason is required
  await office.page.getByLabel("Lý do hủy").fill("Đã lồng ghép vào nhiệm vụ khác");
  await submit(office.page, "Hủy nhiệm vụ");
  await office.page.getByText("Đã hủy nhiệm vụ.").waitFor();
  const history = await office.page.locator("ol.history").innerText();
  assert.match(history, /Tạm dừng thực hiện: Chờ hướng dẫn của Bộ Khoa học và Công nghệ/);
  assert.match(history, /Hủy nhiệm vụ: Đã lồng ghép vào nhiệm vụ khác/);
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${id}`)).state, "cancelled");
  assert.equal(await office.page.locator("summary").filter({ hasText: /^Sửa thông tin$/ }).count(), 0, "nothing left to do on it");

  // Units in Vietnamese order in the register's filter: Đ after D, before G.
  await office.page.goto(`${daemon.base}/tasks`);
  const unitFilter = office.page.getByLabel("Đơn vị", { exact: true });
  await unitFilter.waitFor();  // drawn: allInnerTexts does not wait
  const names = await unitFilter.locator("option").allInnerTexts();
  assert.deepEqual(names, ["Tất cả", "Đoàn Thanh niên tỉnh", "Sở Du lịch", "Sở Đối ngoại", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Xây dựng", "Sở Y tế"]);

  // The reports download with the session, as files.
  await office.page.goto(`${daemon.base}/reports`);
  for (const [text, type] of [["Tải tệp Excel (XLSX)", "spreadsheetml"], ["Tải tệp CSV", "text/csv"], ["Mở bản in", "text/html"]]) {
    const href = await office.page.getByRole("link", { name: text }).first().getAttribute("href");
    const r = await office.page.request.get(daemon.base + href);
    assert.equal(r.status(), 200, href);
    assert.match(r.headers()["content-type"], new RegExp(type), href);
  }
  // The units' yearly scorecard, as the API ranks them, with its own files.
  const year = iso(dayFromToday(0)).slice(0, 4);
  const card = await fetchJson(office.page, `/api/v1/reports/scorecard?year=${year}`);
  const panel = office.page.locator("section", { has: office.page.getByRole("heading", { name: `Đánh giá kết quả thực hiện nhiệm vụ năm ${year}` }) });
  await panel.waitFor();
  const ranked = panel.locator("tbody tr");
  if (card.units.length === 0) {  // nothing due yet this year (the first days of January)
    assert.match(await ranked.innerText(), /Chưa có nhiệm vụ nào đến hạn trong năm/);
  } else {
    assert.equal(await ranked.count(), card.units.length);
    assert.equal((await ranked.first().locator("th").innerText()).trim(), card.units[0].unit);
  }
  for (const [text, type] of [["Tải tệp Excel (XLSX)", "spreadsheetml"], ["Mở bản in", "text/html"]]) {
    const href = await panel.getByRole("link", { name: text }).getAttribute("href");
    assert.match(href, /\/api\/v1\/reports\/scorecard\?/, href);
    const r = await office.page.request.get(daemon.base + href);
    assert.equal(r.status(), 200, href);
    assert.match(r.headers()["content-type"], new RegExp(type), href);
  }
  // The register as it stood yesterday, as it would have been printed then: said in the lede,
  // and carried into the files.
  await unfold(office.page, "Chọn kỳ báo cáo khác");
  await office.page.getByLabel("Số liệu tính đến ngày").fill(dayFromToday(-1));
  await office.page.getByLabel("Cách tính").selectOption("recorded");
  await submit(office.page, "Xem");
  await office.page.getByText("theo sổ theo dõi tại ngày đó").waitFor();
  assert.match(office.page.url(), /basis=recorded/);
  for (const text of ["Tải tệp CSV", "Mở bản in"]) {
    const href = await office.page.getByRole("link", { name: text }).first().getAttribute("href");
    assert.match(href, /basis=recorded/, href);
    const body = await (await office.page.request.get(daemon.base + href)).text();
    assert.match(body, /theo sổ theo dõi tại thời điểm đó/, href);
  }
  await unfold(office.page, "Chọn kỳ báo cáo khác");
  for (const viewport of [desktop, phone]) {
    await office.page.setViewportSize(viewport);
    await screenshot(office.page, `reports-recorded-${viewport === desktop ? "desktop" : "phone"}`);
  }
  await office.page.setViewportSize(desktop);
  // A completion entered today from a report dated three days ago says when it took effect.
  const late = (await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title: "Báo cáo kết quả rà soát thủ tục hành chính", lead_unit_id: ids.STC,
    assigned_on: iso(dayFromToday(-10)), due_on: iso(dayFromToday(20)),
  })).id;
  await daemon.api(officeToken, "POST", `/api/v1/tasks/${late}/confirm`, {
    completed_on: iso(dayFromToday(-3)), completion_ref: "77/BC-STC",
  });
  await office.page.goto(`${daemon.base}/tasks/${late}`);
  await office.page.getByText(`(có hiệu lực từ ngày ${dayFromToday(-3)})`).waitFor();
  for (const viewport of [desktop, phone]) {
    await office.page.setViewportSize(viewport);
    await screenshot(office.page, `task-effective-${viewport === desktop ? "desktop" : "phone"}`);
  }
  clean(office.page);
  await office.context.close();
});

test("an admin creates a user and a unit, issues a token shown once, and revokes it", async () => {
  const admin = await as("quantri");
  await unfold(admin.page, "Thêm người dùng");
  await admin.page.getByLabel("Tên đăng nhập").fill("syt");
  await admin.page.getByLabel("Họ tên hoặc chức danh").fill("Văn thư Sở Y tế");
  await admin.page.getByLabel("Thư điện tử").fill("vanthu@syt.example.vn");
  await admin.page.getByRole("combobox", { name: /Đơn vị/ }).fill("y te");
  await admin.page.getByRole("option", { name: /Sở Y tế/ }).click();
  await submit(admin.page, "Tạo người dùng");
  await admin.page.getByText("Đã tạo người dùng syt").waitFor();
  await unfold(admin.page, "Cấp mã truy cập mới");
  await admin.page.getByLabel("Mục đích").fill("Đồng bộ với phần mềm quản lý văn bản");
  await submit(admin.page, "Cấp mã truy cập");
  const token = (await admin.page.locator("#new-token code").innerText()).trim();
  const me = await fetch(`${daemon.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, "the token shown works");
  assert.equal((await me.json()).login, "syt");
  await admin.page.reload();
  await admin.page.locator("li.token").filter({ hasText: "Đồng bộ với phần mềm quản lý văn bản" }).waitFor();
  assert.equal(await admin.page.locator("#new-token code").count(), 0, "shown once");
  assert.doesNotMatch(await admin.page.locator("main").innerText(), new RegExp(token), "the secret is nowhere on the page");
  await admin.page.getByRole("button", { name: "Thu hồi" }).click();
  await admin.page.getByText("Đã thu hồi mã truy cập").waitFor();
  assert.equal((await fetch(`${daemon.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);

  await admin.page.goto(`${daemon.base}/admin/units`);
  await unfold(admin.page, "Thêm đơn vị");
  await admin.page.getByLabel("Mã đơn vị").fill("SKHDT");
  await admin.page.getByLabel("Tên đơn vị").fill("Sở Kế hoạch và Đầu tư");
  await submit(admin.page, "Thêm đơn vị");
  await admin.page.getByText("Đã thêm Sở Kế hoạch và Đầu tư").waitFor();
  await unfold(admin.page, "Thêm đơn vị");
  await admin.page.getByLabel("Mã đơn vị").fill("SKHDT");
  await admin.page.getByLabel("Tên đơn vị").fill("Trùng mã");
  await submit(admin.page, "Thêm đơn vị");
  await admin.page.locator(".form-status").getByText("Mã hoặc tên đăng nhập này đã được dùng").waitFor();
  assert.equal((await daemon.api(adminToken, "GET", "/api/v1/units?q=SKHDT")).items.length, 1, "no second unit");
  clean(admin.page);
  await admin.context.close();
});

test("the Office gives a coordinating unit its own deadline, the unit records its input sent, the lead unit sees it", async () => {
  const task = await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title: "Xây dựng đề án phát triển nhà ở xã hội giai đoạn 2026-2030", source_ref: "150/TB-UBND",
    lead_unit_id: ids.STC, coordinating_unit_ids: [ids.SXD, ids.SYT], due_on: iso(dayFromToday(40)),
  });
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/${task.id}`);
  const panel = office.page.locator("section", { has: office.page.getByRole("heading", { name: "Ý kiến phối hợp" }) });
  await panel.getByText("Còn 2/2 đơn vị phối hợp chưa gửi ý kiến.").waitFor();
  const sxd = panel.locator("li.contribution", { hasText: "Sở Xây dựng" });
  await unfold(sxd, "Đặt hạn gửi ý kiến");
  await sxd.getByLabel("Hạn gửi ý kiến").fill(dayFromToday(50));
  await submit(sxd, "Lưu hạn gửi ý kiến");
  await sxd.getByText(/sau thời hạn của nhiệm vụ|Ngày này/).or(sxd.locator(".notice.error")).first().waitFor();
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}/contributions`)).items[0].due_on, null, "a date after the task's deadline is refused");
  await sxd.getByLabel("Hạn gửi ý kiến").fill(dayFromToday(10));
  await submit(sxd, "Lưu hạn gửi ý kiến");
  await office.page.getByText("Đã lưu hạn gửi ý kiến; đơn vị sẽ được nhắc trước hạn.").waitFor();
  clean(office.page);
  await office.context.close();

  for (const [width, viewport] of [["desktop", desktop], ["phone", phone]]) {
    const unit = await as("sxd", viewport);
    if (width === "desktop") {  // its home page says what input it owes, and to whom
      const owed = unit.page.locator("section", { has: unit.page.getByRole("heading", { name: /^Ý kiến phối hợp cần gửi/ }) });
      assert.match(await owed.innerText(), new RegExp(`Xây dựng đề án phát triển nhà ở xã hội[\\s\\S]*Gửi ý kiến cho Sở Tài chính trước ${dayFromToday(10).replace(/\//g, "\\/")}`));
      await screenshot(unit.page, "unit-home-owed-desktop");
    }
    await unit.page.goto(`${daemon.base}/tasks/${task.id}`);
    const mine = unit.page.locator("li.contribution", { hasText: "Sở Xây dựng" });
    await mine.getByText(`hạn ${dayFromToday(10)}`).waitFor();
    assert.equal(await unit.page.locator("li.contribution", { hasText: "Sở Y tế" }).locator("summary").count(), 0, "another unit's input is not ours to record");
    await screenshot(unit.page, `contributions-unit-${width}`);
    const wide = await unit.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= viewport.width, `no sideways scrolling (${wide} px wide)`);
    if (width === "desktop") {
      await unfold(mine, "Đã gửi ý kiến");
      await submit(mine, "Ghi nhận đã gửi ý kiến");
      await mine.getByText("Vui lòng nhập trường này.").waitFor();
      await mine.getByLabel("Số, ký hiệu văn bản gửi ý kiến").fill("88/SXD-QHKT");
      await submit(mine, "Ghi nhận đã gửi ý kiến");
      await unit.page.getByText("Đã ghi nhận ý kiến phối hợp; đơn vị chủ trì đã được thông báo.").waitFor();
      assert.match(await unit.page.locator("li.contribution", { hasText: "Sở Xây dựng" }).innerText(), /Đã gửi ý kiến[\s\S]*văn bản số 88\/SXD-QHKT/);
    }
    clean(unit.page);
    await unit.context.close();
  }
  assert.equal((await daemon.api(officeToken, "GET", `/api/v1/units/${ids.SXD}/contributions`)).total, 0, "nothing owed once sent");
  const [sent, owed] = (await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}/contributions`)).items;
  assert.equal(sent.state, "sent");
  assert.equal(sent.sent_ref, "88/SXD-QHKT");
  assert.equal(owed.state, "awaited");
  const history = await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}/history`);
  assert.ok(history.items.some((e) => /Sở Xây dựng đã gửi ý kiến phối hợp \(văn bản số 88\/SXD-QHKT/.test(e.note)));
});

test("a unit reports progress with a scanned letter attached, attaches a table to the task, and the Office downloads them", async () => {
  const task = await daemon.api(officeToken, "POST", "/api/v1/tasks", {
    title: "Rà soát hồ sơ cấp phép xây dựng tồn đọng", source_ref: "210/TB-UBND",
    lead_unit_id: ids.SXD, coordinating_unit_ids: [ids.STC], due_on: iso(dayFromToday(30)),
  });
  const letter = Buffer.concat([Buffer.from("%PDF-1.4\n% Công văn số 125/SXD-QLXD\n"), Buffer.alloc(300000, 7)]);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 1)]);
  for (const [width, viewport] of [["desktop", desktop], ["phone", phone]]) {
    const unit = await as("sxd", viewport);
    await unit.page.goto(`${daemon.base}/tasks/${task.id}`);
    const files = unit.page.locator("section", { has: unit.page.getByRole("heading", { name: "Tài liệu đính kèm" }) });
    if (width === "desktop") {
      await files.getByText("Chưa có tài liệu nào.").waitFor();
      // A progress note with the scanned letter: the note, then the file, attached to it.
      const actions = unit.page.locator("section", { has: unit.page.getByRole("heading", { name: "Thao tác" }) });
      await unfold(actions, "Báo cáo tiến độ");
      const noteForm = actions.locator("details", { hasText: "Báo cáo tiến độ" });
      await noteForm.getByLabel("Nội dung tiến độ").fill("Đã rà soát 120/150 hồ sơ; gửi kèm công văn.");
      await noteForm.locator("input[type=file]").setInputFiles({ name: "Công văn 125-SXD.pdf", mimeType: "application/pdf", buffer: letter });
      await submit(noteForm, "Ghi nhận tiến độ");
      await unit.page.getByText("Đã ghi nhận báo cáo tiến độ.").waitFor();
      await files.getByRole("link", { name: "Công văn 125-SXD.pdf" }).waitFor();
      assert.match(await files.innerText(), /PDF, 293 KB, kèm báo cáo tiến độ/);
      // A picture named as a PDF is refused, in words.
      await unfold(files, "Đính kèm tài liệu");
      await files.locator("input[type=file]").setInputFiles({ name: "Bảng tổng hợp.pdf", mimeType: "application/pdf", buffer: png });
      await submit(files, "Đính kèm");
      await files.getByText("Tệp «Bảng tổng hợp.pdf» thực ra là ảnh PNG nhưng tên có đuôi .pdf. Hãy chọn đúng tệp hoặc đổi tên tệp.").waitFor();
      await screenshot(unit.page, "attachments-refused-desktop");
      await files.locator("input[type=file]").setInputFiles({ name: "Ảnh hiện trường.png", mimeType: "image/png", buffer: png });
      await submit(files, "Đính kèm");
      await unit.page.getByText("Đã đính kèm «Ảnh hiện trường.png».").waitFor();
    }
    await files.getByRole("link", { name: "Ảnh hiện trường.png" }).waitFor();
    await screenshot(unit.page, `attachments-unit-${width}`);
    const wide = await unit.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= viewport.width, `no sideways scrolling (${wide} px wide)`);
    clean(unit.page);
    await unit.context.close();
  }
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/tasks/${task.id}`);
  const [download] = await Promise.all([
    office.page.waitForEvent("download"),
    office.page.getByRole("link", { name: "Công văn 125-SXD.pdf" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "Công văn 125-SXD.pdf");
  const { readFile } = await import("node:fs/promises");
  assert.ok((await readFile(await download.path())).equals(letter), "the same bytes come back");
  assert.match(await office.page.locator("ol.history").innerText(), /Đính kèm tài liệu «Công văn 125-SXD\.pdf» kèm báo cáo tiến độ \(sxd\)/);
  clean(office.page);
  await office.context.close();
  const stored = await daemon.api(officeToken, "GET", `/api/v1/tasks/${task.id}/attachments`);
  assert.deepEqual(stored.items.map((a) => [a.name, a.attached_to, a.kind]),
    [["Công văn 125-SXD.pdf", "note", "pdf"], ["Ảnh hiện trường.png", "task", "png"]]);
});

test("the Office starts a monthly report series from the form, opens its tasks, changes it from a task on and stops it", async () => {
  const office = await as("vanphong");
  await office.page.goto(`${daemon.base}/series`);
  await office.page.getByRole("link", { name: "Tạo nhiệm vụ định kỳ" }).click();
  await office.page.getByRole("heading", { name: "Tạo nhiệm vụ định kỳ" }).waitFor();
  // Nothing filled in: each missing part is marked, nothing is sent.
  await submit(office.page, "Tạo nhiệm vụ định kỳ");
  await office.page.getByText("Vui lòng nhập nội dung nhiệm vụ.").waitFor();
  await office.page.getByText("Vui lòng chọn đơn vị chủ trì.").waitFor();
  assert.equal((await daemon.api(officeToken, "GET", "/api/v1/series")).total, 0);

  await office.page.getByLabel("Nội dung nhiệm vụ").fill("Báo cáo tình hình giải ngân vốn đầu tư công");
  await office.page.getByLabel("Số, ký hiệu văn bản").fill("12/CT-UBND");
  await office.page.getByRole("combobox", { name: "Đơn vị chủ trì" }).fill("tai chinh");
  await office.page.getByRole("option", { name: /Sở Tài chính/ }).click();
  // "Before the 20th of each month", the working day before when the 20th is a day off, from
  // October 2026 (the 20th of December 2026 is a Sunday): the months up to today and the next,
  // within the 30-day horizon, are made at once.
  await office.page.getByLabel("Tần suất").selectOption("monthly");
  await office.page.getByLabel("Ngày", { exact: true }).fill("20");
  await office.page.getByLabel("Nếu ngày đó là ngày nghỉ").selectOption("previous");
  await office.page.getByLabel("Bắt đầu từ ngày").fill("01/10/2026");
  await screenshot(office.page, "series-new-desktop");
  await submit(office.page, "Tạo nhiệm vụ định kỳ");
  await office.page.getByText(/Đã tạo nhiệm vụ định kỳ và giao \d+ kỳ đầu tiên/).waitFor();
  const facts = await office.page.locator("dl.facts").innerText();
  assert.match(facts, /Hằng tháng, hạn ngày 20; trùng ngày nghỉ: chuyển về ngày làm việc liền trước/);
  assert.match(facts, /Sở Tài chính/);
  const rows = (await office.page.locator("table tbody tr").allInnerTexts()).reverse();  // newest first
  assert.ok(rows.length >= 3, rows.join("\n"));
  assert.match(rows[0], /Kỳ thứ 1[\s\S]*20\/10\/2026/);
  assert.match(rows[1], /Kỳ thứ 2[\s\S]*20\/11\/2026/);
  assert.match(rows[2], /Kỳ thứ 3[\s\S]*18\/12\/2026/, "the Friday before");
  assert.match(await office.page.locator("ul.upcoming li").first().innerText(), new RegExp(`^Kỳ thứ ${rows.length + 1}: hạn \\d{2}/\\d{2}/\\d{4}`));
  await screenshot(office.page, "series-desktop");
  const series = (await daemon.api(officeToken, "GET", "/api/v1/series")).items[0];

  // A task of the series says so and leads back to it.
  await office.page.getByRole("link", { name: "Kỳ thứ 2" }).click();
  await office.page.getByRole("heading", { name: "Thông tin nhiệm vụ" }).waitFor();
  await office.page.getByRole("link", { name: /Kỳ thứ 2 — xem lịch/ }).click();
  await office.page.getByRole("heading", { name: "Các kỳ đã giao" }).waitFor();

  // Renamed from the second task on: the first keeps its name.
  await unfold(office.page, "Thay đổi từ một kỳ");
  await office.page.getByLabel("Áp dụng từ kỳ").selectOption({ label: "Kỳ thứ 2 (hạn 20/11/2026)" });
  await office.page.locator("textarea[name=title]").fill("Báo cáo tình hình giải ngân và thanh toán vốn đầu tư công");
  await submit(office.page, "Lưu thay đổi");
  await office.page.getByText("Vui lòng ghi lý do thay đổi.").waitFor();
  await office.page.getByLabel("Lý do thay đổi").fill("Theo Công văn 88/UBND-KT");
  await submit(office.page, "Lưu thay đổi");
  await office.page.getByText("Đã lưu thay đổi nhiệm vụ định kỳ.").waitFor();
  const tasks = (await daemon.api(officeToken, "GET", `/api/v1/series/${series.id}`)).tasks;
  assert.equal(tasks[0].title, "Báo cáo tình hình giải ngân vốn đầu tư công", "the first keeps its name");
  assert.deepEqual(new Set(tasks.slice(1).map((t) => t.title)), new Set(["Báo cáo tình hình giải ngân và thanh toán vốn đầu tư công"]));

  await unfold(office.page, "Dừng nhiệm vụ định kỳ");
  await office.page.getByLabel("Lý do dừng").fill("Đã thay bằng báo cáo quý");
  await submit(office.page, "Dừng nhiệm vụ định kỳ");
  await office.page.getByText("Đã dừng nhiệm vụ định kỳ.").waitFor();
  assert.match(await office.page.locator("dl.facts").innerText(), /Đã dừng[\s\S]*Đã thay bằng báo cáo quý/);
  assert.equal(await office.page.locator("summary").filter({ hasText: /^Dừng nhiệm vụ định kỳ$/ }).count(), 0);
  clean(office.page);
  await office.context.close();
});

test("every page, at desktop and phone width: photographed, no sideways scrolling, no serious axe problem", async () => {
  const pages = {
    vanphong: ["/tasks", "/tasks/new", "/tasks/import", "/reports", `/tasks/${ids.health}`, "/series?state=", "/series/new", "/series/1"],
    lanhdao: ["/dashboard", "/tasks", "/audit", "/series?state="],
    sxd: ["/unit"],
    quantri: ["/admin/users", "/admin/users/1", "/admin/units", "/admin/outbox", "/admin/audit", "/password"],
  };
  const problems = [];
  for (const [login, paths] of Object.entries(pages)) {
    for (const [width, viewport] of [["desktop", desktop], ["phone", phone]]) {
      const { context, page } = await as(login, viewport);
      for (const path of paths) {
        await page.goto(daemon.base + path);
        await page.locator("main h1").waitFor();
        await page.waitForLoadState("networkidle");
        await page.locator("main [aria-busy]").first().waitFor({ state: "detached" });  // every part drawn
        const name = `${login}${path.replace(/\//g, "-")}-${width}`;
        await screenshot(page, name);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > viewport.width) problems.push(`${name}: ${wide} px wide`);
        for (const p of await accessibilityProblems(browser, daemon.base, page, viewport)) problems.push(`${name}: ${p}`);
        if (await page.locator("main h1").innerText() === "Đã có lỗi") problems.push(`${name}: the error page`);
      }
      clean(page);
      await context.close();
    }
  }
  assert.deepEqual(problems, []);
});

// Last: the failures also count against 127.0.0.1, the address every journey signs in from.
test("twenty wrong passwords slow further tries", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await page.goto(`${daemon.base}/sign-in`);
  let slowed = false;
  for (let i = 0; i < 20 && !slowed; ++i) {
    await page.getByLabel("Tên đăng nhập").fill("lanhdao2");
    await page.getByLabel("Mật khẩu").fill(`sai mật khẩu ${i}`);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    const said = page.locator(".notice.error");
    await said.waitFor();
    slowed = /Đã thử sai quá nhiều lần/.test(await said.innerText());
    await page.getByRole("button", { name: "Đăng nhập" }).isEnabled();
  }
  assert.ok(slowed, "the page says to wait");
  // The right password is not even checked now.
  await page.getByLabel("Tên đăng nhập").fill("lanhdao2");
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByText("Đã thử sai quá nhiều lần").waitFor();
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  await context.close();
});
