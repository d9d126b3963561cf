import { CommanderError } from "commander";
import { ExitCode, isUserFacingError } from "../errors.js";
import { helpRequest, manifestHelp } from "./help-manifest.js";
import { createProgram } from "./program.js";

const argv = process.argv.slice(2);
const asked = helpRequest(argv);
const cached = asked === undefined ? undefined : await manifestHelp(asked);
if (cached !== undefined) {
  process.stdout.write(cached);
} else {
  const program = await createProgram(argv);
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
}
