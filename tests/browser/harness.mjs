// What the browser journeys stand on: the real dondocd on a loopback port with a fresh SQLite
// file, its command line for the first accounts, its API for the data, and Debian's chromium
// driven by playwright-core. Nothing here reaches beyond 127.0.0.1.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const axeSource = require.resolve("axe-core/axe.min.js");

export const dondocd = process.env.DONDOCD;
export const artifacts = process.env.ARTIFACTS || join(tmpdir(), "dondoc-browser-artifacts");
if (!dondocd) throw new Error("set DONDOCD to the dondocd binary");
mkdirSync(artifacts, { recursive: true });

export class Daemon {
  constructor(extraYaml = "") {
    this.dir = mkdtempSync(join(tmpdir(), "dondoc-browser-"));
    this.config = join(this.dir, "dondoc.yaml");
    writeFileSync(this.config,
      `listen:\n  address: 127.0.0.1\n  port: 0\ndatabase:\n  path: ${join(this.dir, "dondoc.db")}\nlog:\n  level: warn\n${extraYaml}`);
  }

  cli(...args) {
    return execFileSync(dondocd, [...args, "-c", this.config], { encoding: "utf8" });
  }
  addUser(login, name, role, unit) {
    this.cli("user", "add", "--login", login, "--name", name, "--role", role, ...(unit ? ["--unit", unit] : []));
  }
  setPassword(login, password) {
    execFileSync(dondocd, ["user", "passwd", login, "-c", this.config], { input: `${password}\n`, encoding: "utf8" });
  }
  token(login) {
    const out = this.cli("token", "issue", login).trim().split("\n");
    return out[out.length - 1];
  }

  async start() {
    this.process = spawn(dondocd, ["serve", "--config", this.config], { stdio: ["ignore", "pipe", "pipe"] });
    this.log = "";
    this.process.stderr.on("data", (d) => { this.log += d; });
    const line = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`dondocd did not start:\n${this.log}`)), 10000);
      this.process.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) { clearTimeout(timer); resolve(out); }
      });
      this.process.on("exit", (code) => reject(new Error(`dondocd exited (${code}):\n${this.log}`)));
    });
    this.port = Number(line.trim().split(":").pop());
    this.base = `http://127.0.0.1:${this.port}`;
  }

  async stop() {
    if (!this.process) return;
    const exited = new Promise((resolve) => this.process.on("exit", resolve));
    this.process.kill("SIGTERM");  // only the process this harness started, by its own handle
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  async api(token, method, path, body) {
    const r = await fetch(this.base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

export async function launch() {
  const args = process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args });
}

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

// A page that fails the journey if any request leaves dondoc's origin or a script errs.
export async function openPage(browser, base, viewport = desktop, options = {}) {
  const context = await browser.newContext({ viewport, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", ...options });
  const page = await context.newPage();
  page.offOrigin = [];
  page.scriptErrors = [];
  page.dialogs = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) page.offOrigin.push(r.url());
  });
  page.on("pageerror", (e) => page.scriptErrors.push(String(e)));
  page.on("dialog", async (d) => { page.dialogs.push(d.message()); await d.dismiss(); });
  return { context, page };
}

export async function signIn(page, base, login, password, path = "/") {
  await page.goto(base + path);
  await page.getByLabel("Tên đăng nhập").fill(login);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

// axe-core's serious and critical violations of the page as it is now. axe is injected in a
// separate context that may run injected script (the pages' own policy forbids it).
export async function accessibilityProblems(browser, base, page, viewport = desktop) {
  const cookies = await page.context().cookies();
  const context = await browser.newContext({ viewport, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", bypassCSP: true });
  await context.addCookies(cookies);
  const copy = await context.newPage();
  await copy.goto(page.url());
  await copy.waitForLoadState("networkidle");
  await copy.locator("main [aria-busy]").first().waitFor({ state: "detached" });  // every part drawn
  await copy.addScriptTag({ path: axeSource });
  const result = await copy.evaluate(async () => window.axe.run(document, { resultTypes: ["violations"] }));
  await context.close();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
