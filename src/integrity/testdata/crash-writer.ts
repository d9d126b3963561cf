// Test-only: a writer that appends records in batches until it is killed, publishing a checkpoint
// every few records, so a SIGKILL lands in the middle of a publish often. LOG_DIR, LOG_KEY (a
// private PEM file).
import { readFileSync } from "node:fs";
import { fixtureRecord } from "../../testing/sealed-log.js";
import { parsePrivateKey } from "../keys.js";
import { SealedLogWriter } from "../writer.js";

const writer = await SealedLogWriter.open({
  dir: process.env.LOG_DIR!,
  privateKey: parsePrivateKey(readFileSync(process.env.LOG_KEY!, "utf8")),
  origin: "trailcheck.test/crash",
  checkpointEvery: 3,
  heartbeatMs: 0,
});
const batch = (i: number) => writer.appendMany(Array.from({ length: 10 }, (_, k) => fixtureRecord(i + k)));
// Ready once checkpoints exist: a log killed before its first one holds nothing signed to resume from.
await batch(0);
process.stdout.write("ready\n");
for (let i = 10; ; i += 10) await batch(i);
