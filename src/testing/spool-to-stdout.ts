import { pathToFileURL } from "node:url";
import { OutputSpool } from "../cli/output-spool.js";

/**
 * Text of `lines` lines that differ from each other all along, so a chunk written twice or overwritten
 * before it was written shows. Several megabytes take a spool to its file and back in several chunks.
 */
export function spoolText(lines: number): string[] {
  return Array.from({ length: lines }, (_, i) => `${i} ${"é€x".repeat(i % 300)}\n`);
}

/** Run as a script: spools `spoolText(Number(argv[2]))` and writes it to this process's stdout. */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spool = new OutputSpool();
  for (const line of spoolText(Number(process.argv[2]))) spool.add(line);
  await spool.writeTo(process.stdout);
}
