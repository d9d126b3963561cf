// No record, no action, under crashes: the agent is SIGKILLed at random points; every tool call whose
// side effect happened must have its start record, and the ledger must reopen and verify.
import { readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKeyPair, parsePublicKey } from "../integrity/keys.js";
import { WRITER_LOCK } from "../integrity/store-layout.js";
import { runAndKill } from "../testing/kill-child.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { openLedger } from "./open-ledger.js";
import { readLedger } from "./read-ledger.js";

cleanupAfterEach();
const AGENT = join(import.meta.dirname, "testdata", "crash-agent.ts");
const KEYS = generateKeyPair();

describe("the guard under SIGKILL", () => {
  it("every call whose side effect happened has its start record, and the ledger reopens valid", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sync: fc.constantFrom("always", "batch"),
          signed: fc.boolean(),
          concurrency: fc.integer({ min: 1, max: 4 }),
          runMs: fc.integer({ min: 0, max: 60 }),
        }),
        async ({ sync, signed, concurrency, runMs }) => {
          const dir = await tempDir();
          const effectsFile = join(dir, "..", `${dir.split("/").at(-1)}.effects`);
          const keyFile = `${effectsFile}.pem`;
          await writeFile(effectsFile, "");
          await writeFile(keyFile, KEYS.privatePem);
          await runAndKill(
            AGENT,
            {
              LEDGER_DIR: dir,
              EFFECTS_FILE: effectsFile,
              LEDGER_SYNC: sync,
              CONCURRENCY: String(concurrency),
              ...(signed ? { LEDGER_KEY: keyFile } : {}),
            },
            runMs,
          );
          const effects = (await readFile(effectsFile, "utf8")).split("\n").filter(Boolean);

          // Reopening must succeed (repairing whatever the kill left) and leave a valid ledger.
          const reopened = await openLedger({
            dir,
            checkpointEvery: 7,
            ...(signed ? { key: KEYS.privatePem } : {}),
          });
          await reopened.close();
          const reading = await readLedger(dir, signed ? { publicKey: parsePublicKey(KEYS.publicPem) } : {});
          expect(reading.findings).toEqual([]);

          const started = reading.records.flatMap((r) => (r.type === "tool-call.start" ? [r.callId] : []));
          expect(new Set(started).size).toBe(started.length);
          const recorded = new Set(started);
          expect(effects.filter((callId) => !recorded.has(callId))).toEqual([]);
        },
      ),
      { numRuns: 10 },
    );
  }, 300_000);

  it("a power cut at any byte of the last segment or its index reopens to a valid prefix, the loss reported", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          records: fc.integer({ min: 1, max: 12 }),
          signed: fc.boolean(),
          segmentCut: fc.double({ min: 0, max: 1, noNaN: true }),
          leavesCut: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        async ({ records, signed, segmentCut, leavesCut }) => {
          const dir = await tempDir();
          const key = signed ? { key: KEYS.privatePem } : {};
          // Batch mode: the records are written, not yet synced, and no checkpoint covers them (a
          // checkpoint only ever covers synced records, so a power cut cannot reach those).
          const ledger = await openLedger({ dir, sync: "batch", ...key });
          const written = Array.from({ length: records }, (_, i) => ({
            type: "tool-call.start" as const,
            toolName: "t",
            callId: `call_${i}`,
            arguments: { i, pad: "x".repeat(i * 7) },
            at: "2025-01-01T00:00:00.000Z",
          }));
          for (const r of written) await ledger.append(r);
          const segment = join(dir, "segments/000000000000.jsonl");
          const leaves = join(dir, "segments/000000000000.leaves");
          const lineEnds: number[] = [];
          let offset = 0;
          for (const r of written) {
            offset += JSON.stringify(r).length + 1;
            lineEnds.push(offset);
          }
          const segmentBytes = Math.floor(offset * segmentCut);
          const leavesBytes = Math.floor((await readFile(leaves)).length * leavesCut);
          await truncate(segment, segmentBytes);
          await truncate(leaves, leavesBytes);
          // The power went while the ledger was open: it is never closed, and the process that held
          // its writer lock is gone (a lock of another boot, or of a dead process, is taken over).
          await rm(join(dir, WRITER_LOCK));

          const complete = lineEnds.filter((end) => end <= segmentBytes).length;
          const torn = segmentBytes > (lineEnds[complete - 1] ?? 0);
          const lost = Math.max(0, Math.floor(leavesBytes / 65) - complete);
          const reopened = await openLedger({ dir, ...key, onRecovered: () => undefined });
          expect(reopened.recovered?.torn !== undefined).toBe(torn);
          expect(reopened.recovered?.lost ?? 0).toBe(lost);
          await reopened.close();
          const reading = await readLedger(dir, signed ? { publicKey: parsePublicKey(KEYS.publicPem) } : {});
          expect(reading.findings).toEqual([]);
          expect(reading.records.filter((r) => r.type === "tool-call.start")).toEqual(
            written.slice(0, complete),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
