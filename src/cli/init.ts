import type { Command } from "commander";
import { initProject } from "../run/init.js";

export function register(program: Command): void {
  program
    .command("init")
    .description(
      "Scaffold trailcheck.config.yaml, suites/, incidents/, a logging config and a CI workflow into an existing project; never overwrites.",
    )
    .option("--dir <dir>", "the project folder", ".")
    .action(async (flags: { dir: string }) => {
      const written = await initProject(flags.dir);
      process.stdout.write(
        `${written.map((f) => `created ${f}`).join("\n")}\nnext: describe your pipeline in logging.yaml, then run \`npx trailcheck run\`\n`,
      );
    });
}
