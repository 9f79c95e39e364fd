// How fast the pages are usable with 100,000 tasks (issue 14), in Debian's headless chromium
// against the real dondocd on loopback. Not a test: it prints figures.
//
//   npm ci --prefix tests/browser && DONDOCD=build/src/dondocd node bench/web_pages.mjs [--tasks N] [--runs N]
//
// The database is the demo province (28 units) plus registers of 5,000 rows imported with
// `dondocd import` until it holds N tasks, assigned over two years, a tenth of them overdue.
// Each page is opened `runs` times in a signed-in, warm browser; "usable" is the moment its
// content is drawn (the dashboard's figures and bars, then also its overdue list and pending
// requests; the register's first row; the task's history). The
// baseline, measured in the same run, is a static file of the same origin opened the same way:
// what the browser and the loopback cost before dondoc does anything. The first visit is a
// fresh browser signing in and opening the dashboard: every byte it receives, and any request
// that leaves the origin.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Daemon, launch, openPage, signIn, desktop } from "../tests/browser/harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const wanted = arg("--tasks", 100000);
const runs = arg("--runs", 10);
const PASSWORD = "Mật khẩu đủ dài 2026";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

// The pages are opened faster than a person would: the per-caller rate limit is lifted.
const daemon = new Daemon("auth:\n  rate_limit_per_minute: 1000000\n  rate_limit_burst: 1000000\n");
let t0 = performance.now();
daemon.cli("demo");
const UNITS = ["SXD", "STC", "SYT", "SGDDT", "SNNMT", "SCT", "SNV", "STP", "SVHTTDL", "SKHCN"];
const have = 976;  // what the demo registers
const dmy = (d) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
const today = new Date();
for (let made = have, file = 0; made < wanted; ++file) {
  const rows = ["\"Số, ký hiệu văn bản\",Nội dung nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Người giao"];
  for (let i = 0; i < 5000 && made < wanted; ++i, ++made) {
    // One in ten overdue (its deadline passed), the rest due within the coming year.
    const overdue = made % 10 === 0;
    const assigned = new Date(today.getTime() - ((overdue ? 100 : 0) + ((made * 7919) % 600)) * 86400000);
    const due = overdue
      ? new Date(assigned.getTime() + (15 + (made % 60)) * 86400000)
      : new Date(today.getTime() + (5 + (made % 300)) * 86400000);
    rows.push(`"${100 + (made % 900)}/TB-UBND",Nhiệm vụ số ${made} về rà soát thủ tục hành chính,${UNITS[made % UNITS.length]},${dmy(assigned)},${dmy(due)},Chủ tịch UBND tỉnh`);
  }
  const path = join(daemon.dir, `so-${file}.csv`);
  writeFileSync(path, `${rows.join("\n")}\n`);
  daemon.cli("import", path);
}
daemon.addUser("lanhdao", "Phó Chủ tịch UBND tỉnh", "leader");
daemon.setPassword("lanhdao", PASSWORD);
const token = daemon.token("lanhdao");
console.log(`database: ${wanted} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

await daemon.start();
// A failure below must not leave the daemon running: it is stopped on the way out, whatever happens.
let browser;
process.on("uncaughtException", async (e) => {
  console.error(e);
  await browser?.close().catch(() => {});
  await daemon.stop();
  process.exit(1);
});
browser = await launch();
const count = (await daemon.api(token, "GET", "/api/v1/tasks?limit=1")).total;
const oneTask = (await daemon.api(token, "GET", "/api/v1/tasks?timeliness=overdue&limit=1")).items[0].id;
console.log(`tasks in the database: ${count}; runs per page: ${runs}`);

// What the dashboard waits for on the server, each answer alone (no browser running).
{
  const to = new Date().toISOString().slice(0, 10);
  for (const path of [`/api/v1/reports/summary?from=${to.slice(0, 4)}-01-01&to=${to}`, "/api/v1/reports/overdue?limit=20"]) {
    const times = [];
    for (let i = 0; i < runs + 1; ++i) {
      const start = performance.now();
      await daemon.api(token, "GET", path);
      if (i > 0) times.push(performance.now() - start);
    }
    console.log(`API alone, GET ${path.split("?")[0]}: median ${ms(median(times))}`);
  }
}

// The first visit: a fresh browser, the sign-in page, then the dashboard.
{
  const { context, page } = await openPage(browser, daemon.base, desktop);
  let bytes = 0;
  const sizes = [];
  page.on("requestfinished", async (r) => {
    const size = (await r.sizes()).responseBodySize + (await r.sizes()).responseHeadersSize;
    bytes += size;
    sizes.push([new URL(r.url()).pathname, size]);
  });
  t0 = performance.now();
  await signIn(page, daemon.base, "lanhdao", PASSWORD, "/dashboard");
  await page.locator("svg.bar").first().waitFor();
  await page.waitForLoadState("networkidle");
  console.log(`first visit (sign-in page, sign-in, dashboard): ${(bytes / 1024).toFixed(1)} KiB in ${sizes.length} responses, ` +
    `${ms(performance.now() - t0)}; requests to another origin: ${page.offOrigin.length}`);
  const assets = sizes.filter(([p]) => p.startsWith("/static/") || p === "/" || p === "/sign-in" || p === "/dashboard");
  console.log(`  of which the page itself (HTML, CSS, scripts): ${(assets.reduce((a, [, s]) => a + s, 0) / 1024).toFixed(1)} KiB`);
  await context.close();
}

const { context, page } = await openPage(browser, daemon.base, desktop);
await signIn(page, daemon.base, "lanhdao", PASSWORD);
await page.locator("#account .who").waitFor();
const targets = [
  ["baseline: /static/icon.svg", "/static/icon.svg", "svg"],
  ["dashboard, figures drawn", "/dashboard", "svg.bar"],
  ["dashboard, every part drawn", "/dashboard", "main:not(:has(section[aria-busy])) svg.bar"],
  ["task list", "/tasks", "table tbody tr a"],
  ["task page", `/tasks/${oneTask}`, "ol.history li"],
];
const results = {};
for (const [name, path, ready] of targets) {
  const times = [];
  for (let i = 0; i < runs + 1; ++i) {
    const start = performance.now();
    await page.goto(daemon.base + path);
    await page.locator(ready).first().waitFor();
    if (i > 0) times.push(performance.now() - start);  // the first opens the caches
  }
  results[name] = median(times);
}
const base = results["baseline: /static/icon.svg"];
for (const [name] of targets) {
  console.log(`${name.padEnd(30)} median ${ms(results[name]).padStart(7)}  (${(results[name] / base).toFixed(1)}× the baseline)`);
}
assertNothingLeft(page);
await context.close();
await browser.close();
await daemon.stop();

function assertNothingLeft(p) {
  if (p.offOrigin.length) console.log(`requests to another origin: ${p.offOrigin.join(", ")}`);
  if (p.scriptErrors.length) console.log(`script errors: ${p.scriptErrors.join(", ")}`);
}
