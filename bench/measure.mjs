// Runs a Node script as this very process and, when it exits, prints its peak resident set size on
// stderr: a whole process (start-up included) whose memory the benchmark can read.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on("exit", () => process.stderr.write(`\nmaxRSS=${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(resolve(script)).href);
