import type { Command } from "commander";
import { InputError } from "../errors.js";
import { resolveProject } from "../project/project.js";
import { projectFlags } from "./options.js";

interface RunFlags {
  config?: string;
  output?: string;
  baseline?: string;
  shard?: string;
  filter?: string;
  concurrency?: string;
  saveCounterexamples?: boolean;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError("bad-option", `--concurrency must be a positive whole number, not '${value}'`);
  }
  return n;
}

export function register(program: Command): void {
  program
    .command("run")
    .description(
      "Run every suite (incidents, properties, config checks, replays) and write index.html, results.json, junit.xml and summary.md.",
    )
    .option("--config <file>", "project config (default: $TRAILCHECK_CONFIG, else trailcheck.config.yaml)")
    .option("--output <dir>", "report folder (default: the config's `output`, else reports/)")
    .option("--baseline <file>", "a previous results.json: marks each gap new, fixed or unchanged")
    .option("--shard <i/n>", "run the i-th of n shards; merge them with `trailcheck report --merge`")
    .option(
      "--filter <pattern>",
      "only tests whose name matches (incident id, tag, title; a regular expression)",
    )
    .option("--concurrency <n>", "suite files run in parallel at most")
    .option("--save-counterexamples", "properties save each counterexample as an incident")
    .action(async (flags: RunFlags) => {
      const concurrency = positiveInt(flags.concurrency);
      const project = await resolveProject({
        flags: {
          ...projectFlags(flags),
          ...(flags.saveCounterexamples ? { saveCounterexamples: true } : {}),
        },
      });
      // Loaded here, not at start-up: `trailcheck --help` lists this verb without loading vitest.
      const [{ runProject }, { escapeTerminal }, { summaryLine, noteLines }] = await Promise.all([
        import("../run/run.js"),
        import("../text/escape.js"),
        import("./report.js"),
      ]);
      const outcome = await runProject(project, {
        ...(flags.baseline ? { baseline: flags.baseline } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
        ...(flags.filter ? { filter: flags.filter } : {}),
        ...(concurrency ? { concurrency } : {}),
      });
      const used = outcome.results.environment.configFiles.map((f) => `${f.role ?? "file"} ${f.path}`);
      process.stdout.write(
        `${escapeTerminal(`judged with ${used.join(", ") || "the defaults"}`)}\n${summaryLine(outcome.results)}\n${noteLines(outcome.results)}report: ${escapeTerminal(outcome.outputDir)}/index.html\n`,
      );
      process.exitCode = outcome.results.exitCode;
    });
}
