import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ExitCode } from "../errors.js";
import { escapeTerminal } from "../text/escape.js";

const require = createRequire(import.meta.url);

/** trailcheck's version, from its package.json. */
export function version(): string {
  try {
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** The error's first line, short: enough to recognise a known bug without reading the details. */
function headline(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const first = text.split("\n")[0] ?? "";
  return escapeTerminal(first.length > 160 ? `${first.slice(0, 159)}…` : first);
}

/**
 * A bug in trailcheck: one line on stderr saying so and where the details are, the stack in a file of
 * its own (never on the terminal, where it would read like a verdict), and exit code 70 — never 1,
 * which means gaps. Returns the exit code.
 */
export function reportCrash(err: unknown, args: readonly string[], dir: string = tmpdir()): number {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `trailcheck-crash-${stamp}-${process.pid}.txt`);
  const details = [
    `trailcheck ${version()} · node ${process.version} · ${process.platform}-${process.arch}`,
    `command: trailcheck ${args.join(" ")}`,
    "",
    inspect(err, { depth: 6 }),
    "",
  ].join("\n");
  let where: string;
  try {
    writeFileSync(file, details, { flag: "wx", mode: 0o600 });
    where = `details in ${file}`;
  } catch {
    where = `the details could not be written to ${dir}`;
  }
  process.stderr.write(`trailcheck: internal error — please report it (${headline(err)}); ${where}\n`);
  return ExitCode.internal;
}
