import type { Command } from "commander";
import { initProject } from "../init/init.js";
import { escapeTerminal } from "../text/escape.js";

interface InitFlags {
  dir: string;
  agent?: string;
  otelcol?: string;
}

export function register(program: Command): void {
  program
    .command("init")
    .description(
      "Scaffold trailcheck.config.yaml, every suite, incidents/, a starter scenario, a logging config and a CI workflow into an existing project; never overwrites.",
    )
    .option("--dir <dir>", "the project folder", ".")
    .option("--agent <command>", "the command that runs your agent (agent.command), for replays")
    .option("--otelcol <file>", "your OpenTelemetry Collector config, instead of a starting logging.yaml")
    .action(async (flags: InitFlags) => {
      const outcome = await initProject(flags.dir, {
        ...(flags.agent !== undefined ? { agent: flags.agent } : {}),
        ...(flags.otelcol !== undefined ? { otelcol: flags.otelcol } : {}),
      });
      const lines = [
        ...outcome.created.map((f) => `created ${f}`),
        ...(outcome.gitignore === "appended" ? ["added reports/ to .gitignore"] : []),
        ...(outcome.workflow.length > 0 ? ["", ...outcome.workflow] : []),
        "",
        ...outcome.advice,
        "",
        flags.otelcol
          ? "next: fill in trailcheck.storage.yaml, then run `npx trailcheck run`"
          : "next: describe your pipeline in logging.yaml, then run `npx trailcheck run`",
      ];
      process.stdout.write(lines.map((l) => `${escapeTerminal(l)}\n`).join(""));
    });
}
