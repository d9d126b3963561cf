import { dropWritesOnClosedPipe } from "./closed-pipe.js";
import { helpRequest, manifestHelp } from "./help-manifest.js";
import { exitCodeFor, runCli } from "./program.js";

const args = process.argv.slice(2);

// What escapes a verb's promise (an error thrown in a stream's event handler, a rejection nobody
// awaited) would otherwise print a stack and exit 1, the code for gaps: classify it like any other.
const escaped = (err: unknown) => {
  process.exitCode = exitCodeFor(err, args);
  process.exit();
};
process.on("uncaughtException", escaped);
process.on("unhandledRejection", escaped);
// `trailcheck check … | head` closes the pipe early: the rest of the output is dropped, and the exit
// code is still the verdict's.
dropWritesOnClosedPipe(process.stdout, escaped);
dropWritesOnClosedPipe(process.stderr, escaped);

const asked = helpRequest(args);
const cached = asked === undefined ? undefined : await manifestHelp(asked);
if (cached !== undefined) process.stdout.write(cached);
else process.exitCode = await runCli(args);
