// A test program: `trailcheck check --trace FILE --logging CONFIG` sealing in a worker thread however
// small FILE is. Prints "ready" once the worker runs.

import { runCheck } from "../cli/check.js";
import { startSealWorker } from "../cli/check-sealer.js";

const [trace, logging] = process.argv.slice(2);
process.exitCode = await runCheck({ trace: trace!, logging: logging!, format: "json" }, process.cwd(), {
  sealInWorkerFrom: 0,
  sealWorker: () => {
    const worker = startSealWorker();
    worker.once("online", () => process.stderr.write("ready\n"));
    return worker;
  },
});
