// The HTML report in a real browser: Debian's Chromium driven by playwright-core. Checks the key
// content, the grouped view a reviewer reads first (findings new, fixed, unchanged, with links to
// example incidents), that the page makes no request, that hostile span content stays text, and takes
// the screenshot of the grouped first screen kept at docs/report-example.png.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserGlobals,
  CHROMIUM,
  type Chromium,
  chromiumPresent,
  launchChromium,
  openWatched,
} from "../testing/chromium.js";
import { exampleComparison, exampleResults, HOSTILE } from "../testing/example-results.js";
import { formatHtml } from "./html.js";
import { formatJunit } from "./junit.js";
import { writeReports } from "./write.js";

const SCREENSHOT = join(import.meta.dirname, "..", "..", "docs", "report-example.png");

describe.skipIf(!chromiumPresent("report.browser.test"))(`the HTML report in Chromium (${CHROMIUM})`, () => {
  let chromium: Chromium;
  let browser: BrowserContext;
  let dir: string;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "trailcheck-report-"));
    await writeReports(await exampleResults({ hostile: true }), dir);
    url = pathToFileURL(join(dir, "index.html")).href;
    chromium = await launchChromium();
    browser = chromium.context;
    page = await openWatched(browser, url, { requests, dialogs });
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("shows the verdict, a gap under its cause with the fix, and the capture-probability matrix", async () => {
    await expect(page.locator("#verdict").textContent()).resolves.toContain("gap(s) found");
    const sampling = page.locator("#cause-sampling");
    await expect(sampling.locator("h3").textContent()).resolves.toMatch(/^sampling/);
    await expect(sampling.locator(".hint").first().textContent()).resolves.toMatch(/^fix:/);
    // The fix links the findings it mends, each a row of the findings table.
    const fixed = sampling.locator(".hint a");
    await expect(fixed.count()).resolves.toBeGreaterThan(0);
    const target = (await fixed.first().getAttribute("href"))!;
    await expect(page.locator(`tr${target}`).locator("td").nth(2).textContent()).resolves.toMatch(
      /^sampling /,
    );
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

  it("reads well printed (print media)", async () => {
    const clean = await browser.newPage();
    const plain = await exampleResults();
    const file = join(dir, "plain.html");
    await writeFile(file, formatHtml(plain));
    await clean.goto(pathToFileURL(file).href);
    await clean.emulateMedia({ media: "print" });
    const background = await clean
      .locator("body")
      .evaluate((b) => (globalThis as unknown as BrowserGlobals).getComputedStyle(b).backgroundColor);
    expect(background).toBe("rgb(255, 255, 255)");
    const pdf = await clean.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await clean.close();
  });

  describe("the grouped view of a pipeline change (filter.yaml before, sampling.yaml now)", () => {
    let grouped: Page;
    let groupedUrl: string;
    const groupedRequests: string[] = [];

    beforeAll(async () => {
      const file = join(dir, "grouped.html");
      await writeFile(file, formatHtml(await exampleComparison()));
      groupedUrl = pathToFileURL(file).href;
      grouped = await browser.newPage();
      grouped.on("request", (r) => groupedRequests.push(r.url()));
      await grouped.goto(groupedUrl, { waitUntil: "load" });
    });

    it("leads with what changed: new findings open on the first screen, then fixed, then unchanged folded", async () => {
      await expect(grouped.locator("#changes").textContent()).resolves.toMatch(
        /[1-9]\d* new · [1-9]\d* fixed · [1-9]\d* unchanged finding\(s\)/,
      );
      const blocks = grouped.locator("details.findings");
      await expect(
        blocks.evaluateAll((els) => els.map((e) => (e as unknown as { id: string }).id)),
      ).resolves.toEqual(["findings-new", "findings-fixed", "findings-unchanged"]);
      const open = (id: string) =>
        grouped.locator(`#${id}`).evaluate((e) => (e as unknown as { open: boolean }).open);
      await expect(open("findings-new")).resolves.toBe(true);
      await expect(open("findings-fixed")).resolves.toBe(true);
      await expect(open("findings-unchanged")).resolves.toBe(false);
      const first = grouped.locator("#findings-new tbody tr").first();
      await expect(first.isVisible()).resolves.toBe(true);
      await expect(first.boundingBox().then((b) => b!.y + b!.height)).resolves.toBeLessThan(900);
      // One row per cause, stage, action and fact: a new sampling finding with its hits and fix.
      const cells = await first.locator("td").allTextContents();
      expect(cells[2]).toMatch(/^sampling \S+ · \w+lost at all\/tail_sampling\[0\]/);
      expect(cells[3]).toMatch(/^\d+ test\(s\)\d+ run\(s\) · \d+ gap\(s\)/);
      expect(cells[4]).toMatch(/tail_sampling/);
      await expect(
        grouped.locator("#findings-fixed tbody tr").first().locator("td").nth(2).textContent(),
      ).resolves.toMatch(/^filter /);
      await expect(grouped.locator("#findings-unchanged tbody tr").first().isVisible()).resolves.toBe(false);
    });

    it("links each finding to example incidents, and each incident back to its findings", async () => {
      const example = grouped
        .locator("#findings-new tbody tr")
        .first()
        .locator("td")
        .last()
        .locator("a")
        .first();
      const href = (await example.getAttribute("href"))!;
      expect(href).toMatch(/^#incident-/);
      await example.click();
      await expect(
        grouped.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash),
      ).resolves.toBe(href);
      const incident = grouped.locator(href);
      await expect(incident.isVisible()).resolves.toBe(true);
      const box = (await incident.boundingBox())!;
      expect(box.y).toBeLessThan(50);
      await expect(incident.locator(".timeline").count()).resolves.toBeGreaterThan(0);
      await expect(incident.locator("a.fref").first().getAttribute("href")).resolves.toMatch(
        /^#finding-\d+$/,
      );
      // Following a link within the page fetches nothing.
      expect(groupedRequests).toEqual([groupedUrl]);
    });

    it("lists failing incidents before passing ones; a passing incident is one closed line", async () => {
      const order = await grouped
        .locator("#incidents ~ .incident")
        .evaluateAll((els) => els.map((e) => (e as unknown as { tagName: string }).tagName));
      expect(order.length).toBeGreaterThan(2);
      const firstPassing = order.indexOf("DETAILS");
      expect(firstPassing).toBeGreaterThan(0);
      expect(order.slice(firstPassing).every((t) => t === "DETAILS")).toBe(true);
      const passing = grouped.locator("details.incident.passing").first();
      await expect(passing.evaluate((e) => (e as unknown as { open: boolean }).open)).resolves.toBe(false);
      const line = (await passing.locator("summary").boundingBox())!;
      expect(line.height).toBeLessThan(40);
      await expect(passing.locator("table").first().isVisible()).resolves.toBe(false);
      await expect(grouped.locator("script").count()).resolves.toBe(0);
    });

    it("takes the screenshot of the grouped first screen for docs/", async () => {
      const shot = await browser.newPage();
      await shot.goto(groupedUrl);
      await shot.screenshot({ path: SCREENSHOT, fullPage: false });
      await shot.close();
    });
  });
});
