// End-to-end tests of the retex web explorer in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser download). Starts the retex binary on a loopback port
// with a temporary store and the seed, walks the pages a person would, checks accessibility with
// axe-core (no serious or critical violation) and the weight of every page (under 200 KB), and
// keeps a screenshot of each page in target/screenshots/.
//
// RETEX_BIN names the binary (default target/debug/retex); CHROMIUM the browser.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = process.env.RETEX_BIN || join(root, "target/debug/retex");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(root, "target/screenshots");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const MAX_PAGE_BYTES = 200 * 1024;

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function startRetex(dir) {
  const port = await freePort();
  const child = spawn(
    bin,
    ["serve", "--store", join(dir, "retex.db"), "--listen", `127.0.0.1:${port}`, "--seed", join(root, "seed"), "--log", "warn"],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`retex exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("retex did not become healthy within 30 s");
}

const results = [];
async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - started} ms)\n     ${e.stack || e}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens `path`, counting every byte the page loads; fails over 200 KB. */
async function open(page, base, path) {
  const sizes = [];
  const onResponse = async (r) => {
    try {
      sizes.push((await r.body()).length);
    } catch {
      // redirects have no body
    }
  };
  page.on("response", onResponse);
  const response = await page.goto(base + path, { waitUntil: "load" });
  await page.waitForTimeout(50);
  page.off("response", onResponse);
  assert(response.status() === 200, `${path} answered ${response.status()}`);
  const total = sizes.reduce((a, b) => a + b, 0);
  assert(total < MAX_PAGE_BYTES, `${path} weighs ${total} bytes`);
  weights.push([path, total]);
  return response;
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function axe(page, path) {
  await page.evaluate(axeSource);
  const report = await page.evaluate(() =>
    window.axe.run(document),
  );
  assert(report.testEngine && report.testEngine.name === "axe-core", "axe-core ran");
  assert(report.passes.length > 10, `axe-core checked ${report.passes.length} rules only`);
  const bad = report.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of report.violations) {
    console.log(`     axe ${path}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}`);
  }
  assert(bad.length === 0, `${path}: ${bad.length} serious accessibility violation(s): ${bad.map((v) => v.id).join(", ")}`);
}

const weights = [];
const dir = mkdtempSync(join(tmpdir(), "retex-browser-"));
mkdirSync(shots, { recursive: true });
const { child, base } = await startRetex(dir);
const outside = [];
let context;
try {
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: browserPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1200, height: 900 },
    locale: "fr-FR",
  });
  // Nothing may be fetched from another host: record and refuse it.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  // Weigh every page with all it loads: no asset served from the cache.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });

  await test("search « visio » and reach BigBlueButton", async () => {
    await open(page, base, "/");
    await shot(page, "01-home");
    await page.getByLabel("Rechercher un besoin, une solution ou une collectivité").fill("visio");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\?q=visio/);
    await page.getByRole("heading", { name: /Besoins \(1\)/ }).waitFor();
    await shot(page, "02-search-visio");
    await page.getByRole("link", { name: "BigBlueButton", exact: true }).first().click();
    await page.waitForURL(/\/solutions\/bigbluebutton$/);
    const h1 = await page.locator("h1").innerText();
    assert(h1 === "BigBlueButton", `h1 is ${h1}`);
    assert(await page.locator("svg.chart[role=img]").count() === 1, "the adoption timeline is drawn");
    await shot(page, "03-solution-bigbluebutton");
  });

  await test("open Fontaine: its SUCCESS outcome with the interview as source", async () => {
    await open(page, base, "/?q=fontaine");
    await page.getByRole("link", { name: "Fontaine", exact: true }).first().click();
    await page.waitForURL(/\/collectivites\/fr-commune-38169$/);
    const row = page.locator("table tbody tr", { hasText: "BigBlueButton" });
    await row.getByText("SUCCESS").waitFor();
    const interview = row.locator(".outcomes").getByRole("link", { name: /Nicolas Vivant/ });
    assert(await interview.count() === 1, "the outcome links to the interview");
    await shot(page, "04-collectivity-fontaine");
    await interview.click();
    await page.waitForURL(/\/sources\/interview-vivant-2025$/);
    assert((await page.locator("h1").innerText()).includes("Nicolas Vivant"), "the source page");
    await shot(page, "05-source-interview");
  });

  await test("adoption paths from the unnamed proprietary videoconferencing: the drawing and its VENDOR_SHUTDOWN", async () => {
    await open(page, base, "/besoins/video-conferencing");
    await shot(page, "06-need-video-conferencing");
    await page.getByRole("link", { name: /parcours d'adoption vers le libre/ }).first().click();
    await page.waitForURL(/\/parcours\/unnamed-proprietary-videoconferencing$/);
    const drawing = page.getByRole("img", { name: /Parcours d'adoption depuis/ });
    await drawing.waitFor();
    const box = await drawing.boundingBox();
    assert(box && box.width > 300 && box.height > 50, "the drawing is visible");
    assert(await drawing.locator("text", { hasText: "VENDOR_SHUTDOWN" }).count() === 1, "the drawing shows VENDOR_SHUTDOWN");
    assert(await drawing.locator("text", { hasText: "BigBlueButton" }).count() === 1, "the drawing shows BigBlueButton");
    await shot(page, "07-paths-unnamed-videoconferencing");
  });

  await test("keyboard: the skip link comes first and leads to the content", async () => {
    await open(page, base, "/solutions/bigbluebutton");
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement.textContent);
    assert(first === "Aller au contenu", `first focus: ${first}`);
    await page.keyboard.press("Enter");
    const focused = await page.evaluate(() => document.activeElement.id);
    assert(focused === "contenu", `after the skip link, focus is on ${focused}`);
  });

  await test("English switch", async () => {
    await open(page, base, "/collectivites/fr-commune-38169");
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lang=en/);
    assert((await page.locator("html").getAttribute("lang")) === "en", "lang=en");
    await page.getByRole("heading", { name: "What it runs, by need" }).waitFor();
    await shot(page, "08-collectivity-fontaine-en");
  });

  for (const path of [
    "/",
    "/?q=visio",
    "/besoins/video-conferencing",
    "/besoins/video-conferencing?pour=fr-commune-38151",
    "/solutions/bigbluebutton",
    "/solutions/unnamed-proprietary-videoconferencing",
    "/collectivites/fr-commune-38169",
    "/collectivites/fr-commune-38151?lang=en",
    "/parcours/unnamed-proprietary-videoconferencing",
    "/parcours/unnamed-proprietary-videoconferencing?pour=fr-commune-38151&lang=en",
    "/sources/interview-vivant-2025",
  ]) {
    await test(`accessibility (axe-core) and weight: ${path}`, async () => {
      await open(page, base, path);
      await axe(page, path);
    });
  }

  await test("nothing was fetched from another host", async () => {
    assert(outside.length === 0, `outside requests: ${outside.join(", ")}`);
  });
} finally {
  if (context) await context.close();
  child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}

console.log("page weights (bytes, all assets):");
for (const [path, bytes] of weights) console.log(`     ${bytes}\t${path}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
