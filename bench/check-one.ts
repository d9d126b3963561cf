import { runCheck } from "../src/cli/check.js";

/** Checks one trace out of a large file in its own process and prints the peak resident set size. */
const [trace, logging, traceId] = process.argv.slice(2);
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const code = await runCheck({ trace: trace!, logging: logging!, traceId: traceId!, format: "json" });
process.stdout.write = write;
console.log(`exit=${code} maxRSS=${process.resourceUsage().maxRSS}`);
