import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium, which the browser tests drive through playwright-core (CI installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser tests can run here; when not, says so once on stderr (they are then skipped). */
export function chromiumPresent(test: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  process.stderr.write(
    `${test}: skipped — no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)\n`,
  );
  return false;
}

/** The browser globals page scripts in the tests use (the project's types are Node's, without the DOM). */
export interface BrowserGlobals {
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

/** A headless Chromium and the fresh user-data folder it runs on; `close` stops it and removes the folder. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium on a fresh, empty user-data folder (a persistent context: no profile state
 * from anywhere), without sandbox, GPU, background networking, component updates or sync — nothing
 * reaches beyond the pages a test opens.
 */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const userData = await mkdtemp(join(tmpdir(), "trailcheck-chromium-"));
  const context = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    viewport,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userData, { recursive: true, force: true });
    },
  };
}

/** What a page asked for while a test watched it: every request's URL and every dialog's message. */
export interface PageTraffic {
  readonly requests: string[];
  readonly dialogs: string[];
}

/**
 * Opens `url` in a new page of `context`, recording each request and each dialog (dismissed) into
 * `traffic` from before the first load, so a test can assert the page reached for nothing else.
 */
export async function openWatched(context: BrowserContext, url: string, traffic: PageTraffic): Promise<Page> {
  const page = await context.newPage();
  page.on("request", (r) => traffic.requests.push(r.url()));
  page.on("dialog", async (d) => {
    traffic.dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return page;
}
