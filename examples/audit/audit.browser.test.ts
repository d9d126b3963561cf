// audit.html in a real browser: the audit run as a user runs it (a whole process, --output DIR) on the
// example file-export store, and the page it writes opened in Debian's Chromium through playwright-core.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, AuditReportSchema } from "../../src/audit/schema.js";
import {
  type BrowserGlobals,
  type Chromium,
  chromiumPresent,
  launchChromium,
  openWatched,
} from "../../src/testing/chromium.js";
import { DEV_CLI } from "../../src/testing/dev-cli.js";
import { AUDIT_FLAGS, writeExampleStores } from "./fixtures.js";

describe.skipIf(!chromiumPresent("audit.browser.test"))("audit.html in Chromium", () => {
  let dir: string;
  let chromium: Chromium;
  let page: Page;
  let report: AuditReport;
  let url: string;
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "trailcheck-audit-html-"));
    const { fileExport } = await writeExampleStores(dir);
    const out = join(dir, "out");
    const run = await execa(
      "node",
      [...DEV_CLI, "audit", "--store", `file:${fileExport}`, ...AUDIT_FLAGS, "--output", out],
      { reject: false },
    );
    // Exit 1: the example store holds a rate jump and a silent agent.
    expect(run.exitCode, run.stderr).toBe(1);
    report = AuditReportSchema.parse(JSON.parse(await readFile(join(out, "audit.json"), "utf8")));
    url = pathToFileURL(join(out, "audit.html")).href;
    chromium = await launchChromium();
    page = await openWatched(chromium.context, url, { requests, dialogs });
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("leads with the verdict, then one card per agent with its counts and alert", async () => {
    await expect(page.locator("#verdict").isVisible()).resolves.toBe(true);
    await expect(page.title()).resolves.toMatch(/^trailcheck audit — /);
    const cards = page.locator("section.agent");
    await expect(cards.count()).resolves.toBe(report.agents.length);
    const alerts = report.agents.filter((a) => a.alert !== null);
    expect(alerts.length).toBeGreaterThan(0);
    await expect(page.locator("section.agent h3 .alert").allTextContents()).resolves.toEqual(
      alerts.map((a) => `ALERT ${a.alert!.kind}`),
    );
    // The card of the agent with the rate alert shows the counts the JSON report holds.
    const rate = alerts.find((a) => a.alert!.kind === "rate")!;
    const cells = await cards
      .filter({ has: page.locator(".alert", { hasText: "ALERT rate" }) })
      .locator("tbody td")
      .allTextContents();
    expect(cells.slice(1, 4)).toEqual([
      String(rate.runs.reconstructable),
      String(rate.runs.incomplete),
      String(rate.runs.pending),
    ]);
  });

  it("draws each agent's rate over time as an SVG the browser lays out", async () => {
    const charts = page.locator("svg.rate");
    await expect(charts.count()).resolves.toBe(report.agents.length);
    const box = (await charts.first().boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(20);
    // The line spans the chart from the baseline's start to the window's end (give or take its stroke).
    const line = (await charts.first().locator("polyline.line").boundingBox())!;
    expect(line.width).toBeGreaterThan(box.width * 0.9);
    expect(line.x).toBeGreaterThanOrEqual(box.x - 4);
    expect(line.x + line.width).toBeLessThanOrEqual(box.x + box.width + 4);
  });

  it("draws each incomplete run with its missing rows marked and the command that makes it an incident", async () => {
    const incomplete = report.runs.filter((r) => r.verdict === "incomplete");
    expect(incomplete.length).toBeGreaterThan(0);
    await expect(page.locator("article.run").count()).resolves.toBe(incomplete.length);
    // A run whose tool span was filtered away: the model's request is drawn as a missing row.
    const unaccounted = incomplete.find((r) => r.reasons.some((x) => x.code === "unaccounted-tool-call"))!;
    const first = page.locator(`#run-${unaccounted.traceId}`);
    await expect(first.isVisible()).resolves.toBe(true);
    const missing = first.locator("tr.missing");
    await expect(missing.count()).resolves.toBeGreaterThan(0);
    await expect(missing.first().textContent()).resolves.toContain("missing:");
    const red = await missing
      .first()
      .locator("td")
      .first()
      .evaluate((td) => (globalThis as unknown as BrowserGlobals).getComputedStyle(td).backgroundColor);
    expect(red).toBe("rgb(255, 235, 233)");
    // The command reads exactly as the JSON report gives it: escaping changed nothing a user copies.
    for (const run of incomplete.slice(0, 5)) {
      await expect(page.locator(`#run-${run.traceId} p code`).textContent()).resolves.toBe(run.incident);
    }
  });

  it("makes no request but the file itself and runs no script", async () => {
    await page.reload({ waitUntil: "load" });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r === url)).toBe(true);
    expect(dialogs).toEqual([]);
    await expect(page.locator("script").count()).resolves.toBe(0);
    await expect(page.locator("[onerror], [onclick], [onload]").count()).resolves.toBe(0);
  });
});
