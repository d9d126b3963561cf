import { Command, CommanderError } from "commander";
import { ExitCode, isUserFacingError } from "../errors.js";
import { verbsFor } from "./registry.js";

const program = new Command("trailcheck")
  .description(
    "Keeps the audit trails of AI agents complete: replays runs through the logging config and reports every lost fact.",
  )
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

for (const register of await verbsFor(process.argv.slice(2))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : ExitCode.badInput;
  } else if (isUserFacingError(err)) {
    process.stderr.write(`trailcheck: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    throw err;
  }
}
