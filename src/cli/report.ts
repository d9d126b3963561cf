import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { checkAllShards } from "../report/all-shards.js";
import { mergeResults } from "../report/assemble.js";
import { readResults } from "../report/read.js";
import type { Results } from "../report/results.js";
import { checkSameConfigs } from "../report/same-configs.js";
import { notedGroups } from "../report/test-groups.js";
import { writeReports } from "../report/write.js";
import { escapeTerminal } from "../text/escape.js";

interface ReportFlags {
  merge?: string[];
  output?: string;
  baseline?: string;
}

/** The one line both `run` and `report` end with. */
export function summaryLine(results: Results): string {
  const t = results.totals;
  const b = results.baseline;
  const findings = (status: string) => results.findings.filter((f) => f.status === status).length;
  const base = b
    ? ` · baseline: ${b.new.length} new, ${b.fixed.length} fixed, ${b.unchanged.length} unchanged gap(s); ${findings("new")} new, ${findings("fixed")} fixed, ${findings("unchanged")} unchanged finding(s)`
    : "";
  const errors = results.errors.length > 0 ? ` · ${results.errors.length} error(s) outside tests` : "";
  return `trailcheck: ${results.verdict} — ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.gaps} gap(s) in ${t.findings} finding(s)${base}${errors}`;
}

/** A `note:` line per note the tests carry (a process an agent left running), after the summary. */
export function noteLines(results: Results): string {
  return notedGroups(results.tests)
    .map(
      (g) =>
        `note: ${escapeTerminal(g.count === 1 ? g.names[0]! : `${g.count} tests`)}: ${escapeTerminal(g.reason)}\n`,
    )
    .join("");
}

export function register(program: Command): void {
  program
    .command("report")
    .description("Merge the results.json of several shards into one report (the same four files).")
    .requiredOption("--merge <dirs...>", "shard report folders, each holding a results.json")
    .requiredOption("--output <dir>", "where to write the merged report")
    .option("--baseline <file>", "a previous results.json: marks each gap new, fixed or unchanged")
    .action(async (flags: ReportFlags) => {
      const dirs = flags.merge ?? [];
      if (dirs.length === 0) throw new InputError("bad-option", "--merge needs at least one folder");
      const read = [];
      for (const dir of dirs) {
        const file = resolve(dir, "results.json");
        read.push({ file, results: await readResults(file) });
      }
      checkSameConfigs(read);
      checkAllShards(read);
      const shards = read.map((r) => r.results);
      const baseline = flags.baseline
        ? { file: flags.baseline, results: await readResults(resolve(flags.baseline)) }
        : undefined;
      const results = mergeResults(shards, baseline);
      const output = resolve(flags.output!);
      await writeReports(results, output);
      process.stdout.write(
        `${summaryLine(results)}\n${noteLines(results)}report: ${escapeTerminal(output)}/index.html\n`,
      );
      process.exitCode = results.exitCode;
    });
}
