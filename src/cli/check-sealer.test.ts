import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InThreadSealer, type Sealer } from "../pipeline/seal.js";
import { WorkerSealer } from "./check-sealer.js";

/** Each log's runs as lines: [log, lines] in the order they are sealed. */
type Runs = readonly (readonly [number, readonly string[]])[];

async function sealAll(sealer: Sealer, runs: Runs, logs: number) {
  for (const [log, lines] of runs) sealer.seal(log, lines);
  await sealer.settle?.(true);
  return Array.from({ length: logs }, (_, log) => sealer.summary(log));
}

async function inWorker(runs: Runs, logs: number) {
  const sealer = new WorkerSealer();
  try {
    return await sealAll(sealer, runs, logs);
  } finally {
    await sealer.close();
  }
}

const line = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.json({ maxDepth: 2 }),
  fc.constant('{"a":"line\\nwith a newline"}\nand one raw'),
);
const runsArb = fc
  .integer({ min: 1, max: 3 })
  .chain((logs) =>
    fc.tuple(
      fc.constant(logs),
      fc.array(fc.tuple(fc.nat(logs - 1), fc.array(line, { maxLength: 12 })), { maxLength: 40 }),
    ),
  );

describe("sealing in a worker thread", () => {
  it("gives every sealed log the size, root and verdict the in-thread sealer gives it", async () => {
    await fc.assert(
      fc.asyncProperty(runsArb, async ([logs, runs]) => {
        const here = await sealAll(new InThreadSealer(), runs, logs);
        expect(await inWorker(runs, logs)).toEqual(here);
      }),
      { numRuns: 12 },
    );
  });

  it("cuts a run of more lines than one encoding holds, and a batch larger than one message, the same way", async () => {
    const many = Array.from({ length: 9000 }, (_, i) => `{"n":${i},"t":"é😀"}`);
    const huge = ["x".repeat(3 << 20), "y", "z".repeat(1 << 20)];
    const runs: Runs = [
      [0, ["a"]],
      [1, many],
      [0, huge],
      [1, []],
      [0, many.slice(0, 4096)],
      [1, huge],
    ];
    const here = await sealAll(new InThreadSealer(), runs, 2);
    const there = await inWorker(runs, 2);
    expect(there).toEqual(here);
    expect(there.map((s) => s.size)).toEqual([1 + 3 + 4096, 9000 + 3]);
  });

  it("fails the settling, not a verdict, when the worker fails, and the worker is gone after close", async () => {
    const worker = new Worker(
      `require("node:worker_threads").parentPort.on("message", () => { throw new Error("broken hash"); })`,
      { eval: true },
    );
    const sealer = new WorkerSealer(worker);
    sealer.seal(0, ["a", "b"]);
    await expect(sealer.settle(true)).rejects.toThrow(/sealing in a worker thread failed: broken hash/);
    // Sealing after the failure throws it too.
    expect(() => sealer.seal(0, ["c"])).toThrow(/broken hash/);
    await sealer.close();
    expect(worker.threadId).toBe(-1);
  });

  it("fails when the worker stops without an error", async () => {
    const worker = new Worker(`process.exit(0)`, { eval: true });
    const sealer = new WorkerSealer(worker);
    sealer.seal(0, ["a"]);
    await expect(sealer.settle(true)).rejects.toThrow(/the sealing worker thread stopped/);
    await sealer.close();
  });
});
