// End-to-end tests of the retex web explorer in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser download). Starts the retex binary on a loopback port
// with a temporary store holding the seed and the communes of the découpage administratif
// (imported from the shared data folder), walks the path of a commune's IT director (home →
// need → pick my commune by typing the start of its name and choosing the suggestion with the
// keyboard → my peers' choices and outcomes in French → CSV → adoption path), picks it again
// without JavaScript (the plain search form), checks reflow at 320 px (no horizontal scroll) and accessibility with axe-core
// (no violation at all) on every page type, GraphiQL included, and the weight of every page
// (under 200 KB); keeps a screenshot of each page in target/screenshots/.
//
// RETEX_BIN names the binary (default target/debug/retex); CHROMIUM the browser;
// RETEX_SHARED_DATA the shared data folder (default ../shared/data beside the repository).
import { spawn } from "node:child_process";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
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
const sharedData = process.env.RETEX_SHARED_DATA || join(root, "../shared/data");
const decoupage = join(sharedData, "decoupage-administratif");

/** Loads the seed and the communes, EPCI, departments and regions of France into the store. */
function prepareStore(store) {
  if (!existsSync(decoupage)) {
    if (process.env.CI) throw new Error(`no découpage administratif at ${decoupage}`);
    console.log(`note: ${decoupage} is missing; only the seed's collectivities can be chosen`);
    return false;
  }
  for (const args of [["import", "seed", join(root, "seed")], ["import", "collectivities", decoupage]]) {
    const run = spawnSync(bin, ["--store", store, "--log", "warn", ...args], { stdio: ["ignore", "ignore", "inherit"] });
    if (run.status !== 0) throw new Error(`retex ${args.join(" ")} failed (${run.status})`);
  }
  return true;
}

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
  const communes = prepareStore(join(dir, "retex.db"));
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
      if (r.ok) return { child, base, communes };
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
  for (const v of report.violations) {
    console.log(`     axe ${path}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  }
  const bad = report.violations;
  assert(bad.length === 0, `${path}: ${bad.length} accessibility violation(s): ${bad.map((v) => v.id).join(", ")}`);
}

/** Fails when the page scrolls sideways at its current width (WCAG 1.4.10 reflow). */
async function assertReflows(page, path) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert(scroll <= width, `${path} scrolls sideways at ${width} px: ${scroll} px wide`);
}

const weights = [];
const dir = mkdtempSync(join(tmpdir(), "retex-browser-"));
mkdirSync(shots, { recursive: true });
const { child, base, communes } = await startRetex(dir);
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
    acceptDownloads: true,
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

  await test("the IT director's walk: home → Visioconférence → my commune → peers → CSV → adoption path", async () => {
    await open(page, base, "/");
    await shot(page, "01-home");
    await page.getByRole("link", { name: "Visioconférence", exact: true }).first().click();
    await page.waitForURL(/\/besoins\/video-conferencing$/);
    await shot(page, "02-need-video-conferencing");
    const name = communes ? "Saint-Martin-d'Hères" : "Échirolles";
    // Typing the start of its name offers it (suggestions from the server, as a listbox).
    const field = page.getByRole("combobox", { name: /^Chercher ma collectivité \(/ });
    await field.pressSequentially(communes ? "Saint-Martin-d" : "Échir", { delay: 30 });
    const option = page.getByRole("option", { name: new RegExp(`^${name} `) });
    await option.waitFor();
    assert((await field.getAttribute("aria-expanded")) === "true", "the list of suggestions is open");
    await shot(page, "02b-need-suggestions");
    await axe(page, "/besoins/video-conferencing with its suggestions open");
    // Escape closes the list; the down arrow opens it again and moves to my commune; Enter chooses.
    const wanted = await option.getAttribute("id");
    await page.keyboard.press("Escape");
    assert((await field.getAttribute("aria-expanded")) === "false", "Escape closes the list");
    assert(await option.isHidden(), "Escape hides the suggestions");
    for (let i = 0; i < 8 && (await field.getAttribute("aria-activedescendant")) !== wanted; i++) {
      await page.keyboard.press("ArrowDown");
    }
    assert((await field.getAttribute("aria-activedescendant")) === wanted, `${name} is the active suggestion`);
    assert((await page.locator(`#${wanted}`).getAttribute("aria-selected")) === "true", "the active suggestion is selected");
    await Promise.all([page.waitForURL(/[?&]pour=fr-commune-/), page.keyboard.press("Enter")]);
    assert(!page.url().includes("qui="), `the chosen page: ${page.url()}`);
    await page.getByRole("heading", { name: `La réponse pour ${name}` }).waitFor();
    await shot(page, "03-need-answer");
    const peers = page.locator("table#pairs tbody tr");
    const fontaine = peers.filter({ hasText: "Fontaine" }).filter({ hasText: "BigBlueButton" });
    assert(await fontaine.count() === 1, "Fontaine's BigBlueButton is among my peers' choices");
    await fontaine.getByText("réussite").waitFor();
    await fontaine.getByText("déployée").waitFor();
    const main = await page.locator("main").innerText();
    for (const raw of ["SUCCESS", "VENDOR_SHUTDOWN", "DEPLOYED", "adoption(s)", "2022-07"]) {
      assert(!main.includes(raw), `the answer shows ${raw}`);
    }
    // The peers' table, downloaded: the same rows.
    const shown = await peers.count();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("#pairs").locator("xpath=ancestor::div[contains(@class,'table-wrap')]/following-sibling::p[@class='download'][1]/a").click(),
    ]);
    const csv = readFileSync(await download.path(), "utf8").trim().split("\r\n");
    assert(csv[0].startsWith("Pair,Similarité,Solution"), `CSV header: ${csv[0]}`);
    assert(csv.length - 1 === shown, `the CSV has ${csv.length - 1} rows, the page ${shown}`);
    assert(download.suggestedFilename().endsWith("-pairs.csv"), download.suggestedFilename());
    // The choice is remembered: the home page knows it.
    await open(page, base, "/");
    await page.getByText(`Choisie : ${name}`).waitFor();
    // An adoption path, from the proprietary solution whose vendor closed.
    await open(page, base, "/besoins/video-conferencing");
    await page.locator("a[href='/parcours/unnamed-proprietary-videoconferencing']", { hasText: "parcours d'adoption vers le libre" }).first().click();
    await page.waitForURL(/\/parcours\/unnamed-proprietary-videoconferencing$/);
    const drawing = page.getByRole("group", { name: /Parcours d'adoption depuis/ });
    await drawing.waitFor();
    const box = await drawing.boundingBox();
    assert(box && box.width > 300 && box.height > 50, "the drawing is visible");
    assert(await drawing.locator("tspan", { hasText: "fermeture de l'éditeur" }).count() === 1, "the drawing shows the vendor's closing in words");
    await page.getByRole("heading", { name: "Légende" }).waitFor();
    await shot(page, "04-paths-unnamed-videoconferencing");
    const box_link = drawing.locator("a[href='/solutions/bigbluebutton']");
    assert(await box_link.count() === 1, "BigBlueButton's box is a link");
    await Promise.all([page.waitForURL(/\/solutions\/bigbluebutton$/), box_link.click()]);
  });

  await test("without JavaScript, the plain form finds my commune and a link chooses it", async () => {
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    try {
      const name = communes ? "Saint-Martin-d'Hères" : "Échirolles";
      await open(page, base, "/besoins/video-conferencing?pour=");
      const field = page.getByRole("searchbox", { name: /^Chercher ma collectivité \(/ });
      await field.fill(name);
      await Promise.all([page.waitForURL(/qui=/), page.keyboard.press("Enter")]);
      assert(await page.getByRole("listbox").count() === 0, "no suggestions without JavaScript");
      await Promise.all([
        page.waitForURL(/[?&]pour=fr-commune-/),
        page.getByRole("link", { name: `Choisir ${name}`, exact: true }).click(),
      ]);
      await page.getByRole("heading", { name: `La réponse pour ${name}` }).waitFor();
    } finally {
      await cdp.send("Emulation.setScriptExecutionDisabled", { value: false });
    }
  });

  await test("Fontaine: its success with the interview as source", async () => {
    await open(page, base, "/collectivites/fr-commune-38169");
    const row = page.locator("table tbody tr", { hasText: "BigBlueButton" });
    await row.getByText("réussite").waitFor();
    const interview = row.locator(".outcomes").getByRole("link", { name: /Nicolas Vivant/ });
    assert(await interview.count() === 1, "the outcome links to the interview");
    await shot(page, "05-collectivity-fontaine");
    await interview.click();
    await page.waitForURL(/\/sources\/interview-vivant-2025$/);
    assert((await page.locator("h1").innerText()).includes("Nicolas Vivant"), "the source page");
    assert(await page.locator("table#faits tbody tr").count() > 0, "the source lists the facts citing it");
    await shot(page, "06-source-interview");
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
    await page.waitForURL(/\/en\/collectivites\//);
    assert((await page.locator("html").getAttribute("lang")) === "en", "lang=en");
    await page.getByRole("heading", { name: "What it runs, by need" }).waitFor();
    await shot(page, "07-collectivity-fontaine-en");
  });

  const pages = [
    "/",
    "/?q=visio",
    "/besoins/video-conferencing",
    "/besoins/video-conferencing?pour=fr-commune-38151",
    "/besoins/video-conferencing?qui=grenoble",
    "/solutions/bigbluebutton",
    "/solutions/unnamed-proprietary-videoconferencing",
    "/collectivites/fr-commune-38169",
    "/en/collectivites/fr-commune-38151",
    "/parcours/unnamed-proprietary-videoconferencing",
    "/en/parcours/unnamed-proprietary-videoconferencing?pour=fr-commune-38151",
    "/sources/",
    "/sources/interview-vivant-2025",
    "/data/",
  ];
  for (const path of pages) {
    await test(`accessibility (axe-core) and weight: ${path}`, async () => {
      await open(page, base, path);
      await axe(page, path);
    });
  }

  await test("accessibility (axe-core): the explorer's 404 and GraphiQL", async () => {
    const missing = await page.goto(base + "/nulle/part");
    assert(missing.status() === 404, `an unknown path answered ${missing.status()}`);
    await axe(page, "/nulle/part");
    await page.goto(base + "/graphiql", { waitUntil: "load" });
    await page.locator(".graphiql-container").waitFor();
    await axe(page, "/graphiql");
  });

  await test("reflow at 320 px: no page scrolls sideways", async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      for (const path of [...pages, "/nulle/part"]) {
        await page.goto(base + path, { waitUntil: "load" });
        await assertReflows(page, path);
      }
      await page.goto(base + "/besoins/video-conferencing?pour=fr-commune-38151");
      await shot(page, "08-need-answer-320px");
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
    }
  });

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
