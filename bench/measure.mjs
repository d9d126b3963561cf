// Runs a Node script as this very process and, when it exits, prints its peak resident set size and
// the CPU time of all its threads on stderr: a whole process (start-up included) whose memory and CPU
// the benchmark can read.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on("exit", () => {
  const usage = process.resourceUsage();
  const cpuUs = usage.userCPUTime + usage.systemCPUTime;
  process.stderr.write(`\nmaxRSS=${usage.maxRSS} cpuUs=${cpuUs}\n`);
});
await import(pathToFileURL(resolve(script)).href);
