// Journeys through dondoc's pages in headless Chromium, against the real dondocd: what a person
// sees and does, what the page must refuse to do, and every page checked by axe-core and
// photographed at desktop and phone width (ARTIFACTS).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  Daemon, launch, openPage, signIn, accessibilityProblems, screenshot, desktop, phone,
} from "./harness.mjs";

const OFFICE_PASSWORD = "Văn phòng UBND tỉnh 2025";
let daemon;
let browser;
let admin;
let office;
const ids = {};

before(async () => {
  daemon = new Daemon();
  daemon.addUser("quantri", "Quản trị hệ thống", "admin");
  daemon.addUser("vanphong", "Chuyên viên Văn phòng UBND tỉnh", "office");
  daemon.setPassword("vanphong", OFFICE_PASSWORD);
  admin = daemon.token("quantri");
  office = daemon.token("vanphong");
  await daemon.start();
  for (const [code, name] of [["SXD", "Sở Xây dựng"], ["STC", "Sở Tài chính"], ["DTN", "Đoàn Thanh niên tỉnh"]]) {
    ids[code] = (await daemon.api(admin, "POST", "/api/v1/units", { code, name, kind: "department" })).id;
  }
  const task = (title, lead, extra = {}) => daemon.api(office, "POST", "/api/v1/tasks", {
    title, source_ref: "45/TB-UBND", source_date: "2025-02-20",
    source_title: "Thông báo kết luận của Chủ tịch UBND tỉnh", assigner: "Chủ tịch UBND tỉnh",
    assigned_on: "2025-02-20", lead_unit_id: lead, due_on: "2025-03-31", ...extra,
  });
  ids.building = (await task("Rà soát quy hoạch xây dựng vùng tỉnh", ids.SXD, { coordinating_unit_ids: [ids.STC] })).id;
  ids.budget = (await task("Báo cáo tình hình giải ngân vốn đầu tư công", ids.STC)).id;
  ids.hostile = (await task('<img src=x onerror=alert(1)>', ids.SXD)).id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

test("a link from an email opens the task after sign-in, in plain Vietnamese", async () => {
  for (const [name, viewport] of [["desktop", desktop], ["phone", phone]]) {
    const { context, page } = await openPage(browser, daemon.base, viewport);
    await page.goto(`${daemon.base}/tasks/${ids.building}`);
    await page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
    await screenshot(page, `sign-in-${name}`);
    assert.deepEqual(await accessibilityProblems(browser, daemon.base, page, viewport), []);
    await page.getByLabel("Tên đăng nhập").fill("vanphong");
    await page.getByLabel("Mật khẩu").fill(OFFICE_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByRole("heading", { name: "Rà soát quy hoạch xây dựng vùng tỉnh" }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/tasks/${ids.building}`, "straight to the task");
    const facts = await page.locator("dl.facts").innerText();
    assert.match(facts, /Sở Xây dựng/);
    assert.match(facts, /Sở Tài chính/);
    assert.match(facts, /31\/03\/2025/, "dates as dd/mm/yyyy");
    const history = await page.locator("ol.history").innerText();
    assert.match(history, /Chủ tịch UBND tỉnh giao Sở Xây dựng chủ trì thực hiện, thời hạn 31\/03\/2025\./);
    await screenshot(page, `task-${name}`);
    assert.deepEqual(await accessibilityProblems(browser, daemon.base, page, viewport), []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `no sideways scrolling (${width} px wide)`);
    assert.deepEqual(page.offOrigin, [], "no request leaves the origin");
    assert.deepEqual(page.scriptErrors, []);
    await context.close();
  }
});

test("the register keeps its filters in the address and finds words without diacritics", async () => {
  for (const [name, viewport] of [["desktop", desktop], ["phone", phone]]) {
    const { context, page } = await openPage(browser, daemon.base, viewport);
    await signIn(page, daemon.base, "vanphong", OFFICE_PASSWORD, "/tasks");
    await page.getByRole("heading", { name: "Danh sách nhiệm vụ" }).waitFor();
    await page.getByText("3 nhiệm vụ").waitFor();
    await page.getByLabel("Tìm theo nội dung, số văn bản").fill("xay dung");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.getByText("1 nhiệm vụ").waitFor();
    assert.equal(new URL(page.url()).search, "?q=xay+dung");
    await page.getByRole("link", { name: "Rà soát quy hoạch xây dựng vùng tỉnh" }).waitFor();
    await page.reload();
    await page.getByText("1 nhiệm vụ").waitFor();
    assert.equal(await page.getByLabel("Tìm theo nội dung, số văn bản").inputValue(), "xay dung",
      "the filter survives a reload");
    await page.goBack();
    await page.getByText("3 nhiệm vụ").waitFor();
    await screenshot(page, `register-${name}`);
    assert.deepEqual(await accessibilityProblems(browser, daemon.base, page, viewport), []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `no sideways scrolling (${width} px wide)`);
    assert.deepEqual(page.offOrigin, []);
    await context.close();
  }
});

test("a title made of markup shows as text and runs nothing", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await signIn(page, daemon.base, "vanphong", OFFICE_PASSWORD, `/tasks/${ids.hostile}`);
  await page.getByRole("heading", { name: "<img src=x onerror=alert(1)>" }).waitFor();
  await page.goto(`${daemon.base}/tasks`);
  await page.getByRole("link", { name: "<img src=x onerror=alert(1)>" }).waitFor();
  assert.equal(await page.locator("main img").count(), 0, "no image element was made");
  assert.deepEqual(page.dialogs, [], "no dialog opened");
  assert.deepEqual(page.offOrigin, []);
  await context.close();
});

test("sign-out ends the session on the server, not only in the browser", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await signIn(page, daemon.base, "vanphong", OFFICE_PASSWORD, "/tasks");
  await page.getByRole("heading", { name: "Danh sách nhiệm vụ" }).waitFor();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "dondoc_session");
  assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
  assert.equal(session.sameSite, "Strict");
  assert.equal(await page.evaluate(() => document.cookie), "", "no script can read it");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.getByRole("heading", { name: "Đăng nhập" }).waitFor();

  const { context: stale, page: again } = await openPage(browser, daemon.base);
  await stale.addCookies([session]);  // the old cookie, kept by someone
  await again.goto(`${daemon.base}/tasks`);
  await again.getByRole("heading", { name: "Đăng nhập" }).waitFor();
  const r = await stale.request.get(`${daemon.base}/api/v1/tasks`);
  assert.equal(r.status(), 401);
  await stale.close();
  await context.close();
});

test("a change sent with the session cookie but without the CSRF token is refused", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await signIn(page, daemon.base, "vanphong", OFFICE_PASSWORD, "/tasks");
  await page.getByRole("heading", { name: "Danh sách nhiệm vụ" }).waitFor();
  const body = { title: "Nhiệm vụ giả mạo", lead_unit_id: ids.SXD };
  const forged = await context.request.post(`${daemon.base}/api/v1/tasks`, { data: body });
  assert.equal(forged.status(), 403);
  const csrf = await page.evaluate(async () => (await (await fetch("/api/v1/session")).json()).csrf_token);
  const real = await context.request.post(`${daemon.base}/api/v1/tasks`, { data: body, headers: { "X-CSRF-Token": csrf } });
  assert.equal(real.status(), 201);
  await context.close();
});

test("pages that do not exist say so in words, never as JSON", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await signIn(page, daemon.base, "vanphong", OFFICE_PASSWORD, "/tasks/999999");
  await page.getByRole("heading", { name: "Không tìm thấy trang" }).waitFor();
  await screenshot(page, "not-found-desktop");
  await page.goto(`${daemon.base}/khong-co-trang-nay`);
  await page.getByRole("heading", { name: "Không tìm thấy trang" }).waitFor();
  assert.doesNotMatch(await page.locator("body").innerText(), /"status"|problem\+json|\{"/);
  assert.deepEqual(await accessibilityProblems(browser, daemon.base, page), []);
  const shell = await page.request.get(`${daemon.base}/static/..%2f..%2fetc%2fpasswd`);
  assert.equal(shell.status(), 404, "no path leads out of the embedded files");
  await context.close();
});

test("signing in, opening a task and writing a progress note with the keyboard alone", async () => {
  const { context, page } = await openPage(browser, daemon.base);
  await page.goto(`${daemon.base}/`);
  await page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
  await page.keyboard.type("vanphong");  // the login field has the focus
  await page.keyboard.press("Tab");
  await page.keyboard.type(OFFICE_PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Danh sách nhiệm vụ" }).waitFor();
  await page.locator("table tbody a").first().waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main",
    "after a page change the focus is on its content");
  // Tab through the filters to the first task, open it with Enter.
  let focused = "";
  for (let i = 0; i < 25 && !/^\/tasks\/\d+$/.test(focused); ++i) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.getAttribute("href") || "");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focus is visible");
  }
  assert.match(focused, /^\/tasks\/\d+$/);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Thông tin nhiệm vụ" }).waitFor();
  // Then a progress note, still with the keyboard: Tab to the action, open it, write, send.
  const tabTo = async (test, what) => {
    for (let i = 0; i < 40; ++i) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(test)) return;
    }
    assert.fail(`Tab never reached ${what}`);
  };
  await tabTo(() => document.activeElement?.tagName === "SUMMARY" && document.activeElement.textContent === "Báo cáo tiến độ", "the progress note");
  await page.keyboard.press("Enter");
  await tabTo(() => document.activeElement?.name === "note", "its text");
  await page.keyboard.type("Đã họp với các đơn vị phối hợp, dự thảo đang lấy ý kiến");
  await page.keyboard.press("Tab");  // the file box (optional), reached and passed by
  assert.equal(await page.evaluate(() => document.activeElement?.type), "file");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Ghi nhận tiến độ");
  await page.keyboard.press("Enter");
  await page.getByText("Đã ghi nhận báo cáo tiến độ.").waitFor();
  assert.match(await page.locator("ol.history").innerText(), /Đã họp với các đơn vị phối hợp, dự thảo đang lấy ý kiến/);
  assert.deepEqual(page.scriptErrors, []);
  await context.close();
});
