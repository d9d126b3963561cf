import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatHtml } from "./html.js";
import { formatJunit } from "./junit.js";
import { formatSummary } from "./markdown.js";
import type { Results } from "./results.js";
import { resultsText } from "./results-text.js";

/** The files every run and merge writes into the output folder. */
export const REPORT_FILES = ["index.html", "results.json", "junit.xml", "summary.md"] as const;

/** Writes a file atomically: a temporary sibling, then a rename, so readers never see half a file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes index.html, results.json, junit.xml and summary.md into `dir` (created if needed). */
export async function writeReports(results: Results, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const texts: Record<(typeof REPORT_FILES)[number], string> = {
    "index.html": formatHtml(results),
    "results.json": resultsText(results),
    "junit.xml": formatJunit(results),
    "summary.md": formatSummary(results),
  };
  const written: string[] = [];
  for (const name of REPORT_FILES) {
    await writeAtomic(join(dir, name), texts[name]);
    written.push(join(dir, name));
  }
  return written;
}
