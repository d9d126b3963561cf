// The HTML report in a real browser: Debian's Chromium driven by playwright-core. Checks the key
// content, that the page makes no request, that hostile span content stays text, and takes the
// screenshot kept at docs/report-example.png.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleResults, HOSTILE } from "./example-results.js";
import { formatHtml } from "./html.js";
import { formatJunit } from "./junit.js";
import { writeReports } from "./write.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(
    `report.browser.test: skipped — no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)\n`,
  );
}
/** The few browser globals the page scripts use (the project's types are Node's, without the DOM). */
interface BrowserGlobals {
  DOMParser: new () => {
    parseFromString(
      text: string,
      type: string,
    ): {
      querySelector(s: string): { textContent: string | null } | null;
      querySelectorAll(s: string): { length: number };
    };
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
}
const SCREENSHOT = join(import.meta.dirname, "..", "..", "docs", "report-example.png");

describe.skipIf(!hasChromium)(`the HTML report in Chromium (${CHROMIUM})`, () => {
  let browser: BrowserContext;
  let dir: string;
  let userData: string;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "trailcheck-report-"));
    userData = await mkdtemp(join(tmpdir(), "trailcheck-chromium-"));
    await writeReports(await exampleResults({ hostile: true }), dir);
    url = pathToFileURL(join(dir, "index.html")).href;
    // A persistent context on a fresh, empty user-data dir: no profile state from anywhere.
    browser = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    page = await browser.newPage();
    page.on("request", (r) => requests.push(r.url()));
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(userData, { recursive: true, force: true });
  });

  it("shows the verdict, a gap under its cause with the fix, and the capture-probability matrix", async () => {
    await expect(page.locator("#verdict").textContent()).resolves.toContain("gap(s) found");
    const sampling = page.locator("#cause-sampling");
    await expect(sampling.locator("h3").textContent()).resolves.toMatch(/^sampling/);
    await expect(sampling.locator(".hint").first().textContent()).resolves.toMatch(/^fix:/);
    await expect(sampling.locator("tbody tr").count()).resolves.toBeGreaterThan(0);
    const matrix = page.locator("table.matrix");
    await expect(matrix.locator("thead th").allTextContents()).resolves.toEqual(
      expect.arrayContaining(["action kind", "passing/llm", "sampling/all"]),
    );
    await expect(matrix.locator("td.p-lost").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator(".incident .mark-missing").count()).resolves.toBeGreaterThan(0);
  });

  it("makes no request but the file itself", async () => {
    await page.reload({ waitUntil: "load" });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r === url)).toBe(true);
  });

  it("renders hostile span content as text: no dialog, no element, the text visible", async () => {
    expect(dialogs).toEqual([]);
    await expect(page.locator("script").count()).resolves.toBe(0);
    await expect(page.locator("img").count()).resolves.toBe(0);
    await expect(page.locator('[href^="javascript:" i], [src^="javascript:" i]').count()).resolves.toBe(0);
    await expect(page.locator("[onerror], [onclick], [onload]").count()).resolves.toBe(0);
    const hostile = page.locator("#incident-hostile-span-content\\@sampling");
    const text = (await hostile.textContent()) ?? "";
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.img);
    expect(text).toContain(HOSTILE.url);
    await expect(hostile.getByText(HOSTILE.script).first().isVisible()).resolves.toBe(true);
  });

  it("the JUnit file is well-formed XML (Chromium's XML parser)", async () => {
    const xml = formatJunit(await exampleResults({ hostile: true }));
    const parsed = await page.evaluate((text) => {
      const doc = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(
        text,
        "application/xml",
      );
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        cases: doc.querySelectorAll("testcase").length,
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.cases).toBeGreaterThan(10);
  });

  it("reads well printed (print media) and takes the screenshot for docs/", async () => {
    const clean = await browser.newPage();
    const plain = await exampleResults();
    const file = join(dir, "plain.html");
    await writeFile(file, formatHtml(plain));
    await clean.goto(pathToFileURL(file).href);
    await clean.screenshot({ path: SCREENSHOT, fullPage: false });
    await clean.emulateMedia({ media: "print" });
    const background = await clean
      .locator("body")
      .evaluate((b) => (globalThis as unknown as BrowserGlobals).getComputedStyle(b).backgroundColor);
    expect(background).toBe("rgb(255, 255, 255)");
    const pdf = await clean.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await clean.close();
  });
});
