import { type WriteAllHooks, writeAll } from "../files/write-all.js";
import { formatHtml } from "./html.js";
import { formatJunit } from "./junit.js";
import { formatSummary } from "./markdown.js";
import type { Results } from "./results.js";

/** The files every run and merge writes into the output folder. */
export const REPORT_FILES = ["index.html", "results.json", "junit.xml", "summary.md"] as const;

export function resultsText(results: Results): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/**
 * Writes index.html, results.json, junit.xml and summary.md into `dir` (created if needed), all or
 * nothing: a failure leaves the previous report whole, never old files beside new ones.
 */
export async function writeReports(results: Results, dir: string, hooks?: WriteAllHooks): Promise<string[]> {
  const texts: Record<(typeof REPORT_FILES)[number], string> = {
    "index.html": formatHtml(results),
    "results.json": resultsText(results),
    "junit.xml": formatJunit(results),
    "summary.md": formatSummary(results),
  };
  return writeAll(dir, texts, hooks);
}
