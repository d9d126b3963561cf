import { Command } from "commander";
import { type RegisterVerb, verbsFor } from "./registry.js";

/** The `trailcheck` program with the verbs a command line needs (every verb for help). */
export async function createProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("trailcheck")
    .description(
      "Keeps the audit trails of AI agents complete: replays runs through the logging config and reports every lost fact.",
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const verbs: RegisterVerb[] = await verbsFor(argv);
  for (const register of verbs) register(program);
  return program;
}
