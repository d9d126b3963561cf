// What the guard costs a tool call, against baselines measured in the same run:
// - sync "always": a guarded no-op call (start record durable, the tool, end record durable) against a
//   bare append + fdatasync of the same two records on an open file. Target: ≤ 1.5×.
// - sync "batch": the median time a guarded no-op call takes beyond the bare no-op call. Target ≤ 0.2 ms.
// The variants take turns call by call; medians resist a neighbour's burst on a shared machine.
// Calls run inside an active OpenTelemetry span, as an instrumented framework runs its tools.
//
//   node bin/run-ts.js bench/guard.ts [ROUNDS] [CALLS_PER_ROUND]
import { fdatasync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { resultSha256 } from "../src/guard/digest.js";
import { guardCall } from "../src/guard/guard-call.js";
import { openLedger } from "../src/guard/open-ledger.js";

const rounds = Number(process.argv[2] ?? 15);
const calls = Number(process.argv[3] ?? 200);
const datasync = promisify(fdatasync);

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
const tracer = trace.getTracer("bench");

const ARGS = { orderId: "A-1001", amount: 40, currency: "USD" };
const noop = async () => ({ refundId: "R-5001", status: "succeeded" });

/** The same two lines the guard writes for one call (ids of a real span, same field order). */
function recordLines(i: number, traceId: string, spanId: string): [string, string] {
  const at = new Date().toISOString();
  const head = { traceId, spanId, toolName: "refund_payment", callId: `call_${i}` };
  return [
    JSON.stringify({ type: "tool-call.start", ...head, arguments: ARGS, at }),
    JSON.stringify({
      type: "tool-call.end",
      ...head,
      outcome: "ok",
      resultSha256: resultSha256({ refundId: "R-5001", status: "succeeded" }),
      at,
    }),
  ];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Times one call of `fn` (ms) inside its own active span. */
function timeCall(fn: () => Promise<unknown>): Promise<number> {
  return tracer.startActiveSpan("execute_tool refund_payment", async (span) => {
    const t = performance.now();
    await fn();
    const ms = performance.now() - t;
    span.end();
    return ms;
  });
}

const dir = await mkdtemp(join(tmpdir(), "trailcheck-bench-guard-"));
try {
  const bareFd = openSync(join(dir, "bare.jsonl"), "a");
  const always = await openLedger({ dir: join(dir, "always"), sync: "always" });
  const batch = await openLedger({ dir: join(dir, "batch"), sync: "batch" });
  const samples = {
    bare: [] as number[],
    always: [] as number[],
    noop: [] as number[],
    batch: [] as number[],
  };
  const ratios: number[] = [];
  const added: number[] = [];
  let n = 0;
  const call = (i: number) => ({ toolName: "refund_payment", callId: `call_${n}_${i}`, arguments: ARGS });
  for (let round = 0; round < rounds; round++) {
    n += 1;
    const bare: number[] = [];
    const guardedAlways: number[] = [];
    const plain: number[] = [];
    const guardedBatch: number[] = [];
    // The variants take turns call by call, so a neighbour's burst of disk traffic hits them alike.
    for (let i = 0; i < calls; i++) {
      bare.push(
        await timeCall(async () => {
          const ctx = trace.getActiveSpan()!.spanContext();
          const [start, end] = recordLines(i, ctx.traceId, ctx.spanId);
          writeSync(bareFd, `${start}\n`);
          await datasync(bareFd);
          await noop();
          writeSync(bareFd, `${end}\n`);
          await datasync(bareFd);
        }),
      );
      guardedAlways.push(await timeCall(() => guardCall(always, call(i), noop)));
      plain.push(await timeCall(() => noop()));
      guardedBatch.push(await timeCall(() => guardCall(batch, call(i), noop)));
    }
    samples.bare.push(...bare);
    samples.always.push(...guardedAlways);
    samples.noop.push(...plain);
    samples.batch.push(...guardedBatch);
    ratios.push(median(guardedAlways) / median(bare));
    added.push(median(guardedBatch) - median(plain));
  }
  await Promise.all([always.close(), batch.close()]);

  const f = (x: number) => `${x.toFixed(3)} ms`;
  const ratio = median(ratios);
  const batchAdded = median(added);
  process.stdout.write(
    [
      `guard bench: ${rounds} rounds × ${calls} calls per variant, medians per call`,
      `bare append + fdatasync of the two records  ${f(median(samples.bare))}`,
      `guarded no-op call, sync always             ${f(median(samples.always))}`,
      `ratio of the medians above                  ${(median(samples.always) / median(samples.bare)).toFixed(2)}×`,
      `ratio guarded/bare (median of rounds)       ${ratio.toFixed(2)}× — rounds ${ratios.map((r) => r.toFixed(2)).join(", ")} (target ≤ 1.5×) ${ratio <= 1.5 ? "OK" : "OVER TARGET"}`,
      `bare no-op call                             ${f(median(samples.noop))}`,
      `guarded no-op call, sync batch              ${f(median(samples.batch))}`,
      `added by the guard, sync batch (median)     ${f(batchAdded)} — rounds ${added.map((a) => a.toFixed(3)).join(", ")} (target ≤ 0.2 ms) ${batchAdded <= 0.2 ? "OK" : "OVER TARGET"}`,
      "",
    ].join("\n"),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
