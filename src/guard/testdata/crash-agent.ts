// Test-only: an "agent" that runs guarded tool calls in a loop until it is killed. Each call's side
// effect is a line in EFFECTS_FILE, written by the tool itself; the crash test SIGKILLs this process
// and then checks every effect against the ledger.
//   LEDGER_DIR, EFFECTS_FILE, LEDGER_SYNC=always|batch, LEDGER_KEY (private PEM file, optional),
//   CONCURRENCY (calls in flight at once)
import { openSync, readFileSync, writeSync } from "node:fs";
import { guardCall } from "../guard-call.js";
import { openLedger } from "../open-ledger.js";

const env = process.env;
const ledger = await openLedger({
  dir: env.LEDGER_DIR!,
  sync: env.LEDGER_SYNC === "batch" ? "batch" : "always",
  syncIntervalMs: 5,
  checkpointEvery: 7,
  ...(env.LEDGER_KEY ? { key: readFileSync(env.LEDGER_KEY, "utf8") } : {}),
});
const effects = openSync(env.EFFECTS_FILE!, "a");
const concurrency = Number(env.CONCURRENCY ?? 1);
let next = 0;

async function worker(): Promise<never> {
  for (;;) {
    const callId = `call_${process.pid}_${next++}`;
    await guardCall(ledger, { toolName: "refund_payment", callId, arguments: { amount: next } }, () => {
      writeSync(effects, `${callId}\n`);
      return { refunded: true };
    });
  }
}

process.stdout.write("ready\n");
await Promise.all(Array.from({ length: concurrency }, worker));
