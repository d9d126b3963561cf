import { createPrivateKey } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  editLines,
  fixtureRecord,
  listDir,
  type SealedLogFixture,
  sealedLogFixture,
} from "../testing/sealed-log.js";
import { cleanupAfterEach } from "../testing/temp-dirs.js";
import type { FindingKind } from "./findings.js";
import { generateKeyPair, signingKey } from "./keys.js";
import { parseNote, signNote } from "./signed-note.js";
import { verifyLogDir } from "./verify-log.js";

cleanupAfterEach();

/** A generated log: 2–30 distinct records, varied checkpoint cadence and segment size. */
const logArb = fc.record({
  count: fc.integer({ min: 2, max: 30 }),
  payload: fc.string({ maxLength: 40 }),
  checkpointEvery: fc.integer({ min: 1, max: 7 }),
  segmentRecords: fc.integer({ min: 2, max: 9 }),
});
type LogShape = typeof logArb extends fc.Arbitrary<infer T> ? T : never;

async function makeLog(shape: LogShape): Promise<SealedLogFixture> {
  const records = Array.from({ length: shape.count }, (_, i) => fixtureRecord(i, shape.payload));
  const fixture = await sealedLogFixture({
    records,
    checkpointEvery: shape.checkpointEvery,
    segmentRecords: shape.segmentRecords,
  });
  return fixture;
}

/** Verified ten minutes after the last write, as an audit would: any overdue heartbeat shows. */
async function verify(f: SealedLogFixture) {
  return verifyLogDir(f.dir, f.publicKey, { now: new Date(f.now.getTime() + 600_000) });
}

/** Runs one mutation class over generated logs; any undetected mutation fails the property. */
function mutationClass(
  name: string,
  expected: readonly FindingKind[],
  mutate: (f: SealedLogFixture, pick: number) => Promise<void>,
) {
  it(`detects every "${name}" mutation`, async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.nat(), async (shape, pick) => {
        const f = await makeLog(shape);
        await mutate(f, pick);
        const result = await verify(f);
        await f.cleanup();
        expect(result.valid, JSON.stringify(result.findings)).toBe(false);
        expect(
          result.findings.some((x) => expected.includes(x.kind)),
          JSON.stringify(result.findings),
        ).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
}

async function pickSegment(f: SealedLogFixture, pick: number): Promise<string> {
  const segments = (await listDir(f.dir, "segments")).filter((s) => s.endsWith(".jsonl"));
  return segments[pick % segments.length]!;
}

describe("tamper detection over generated logs", () => {
  it("a clean log always verifies", async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async (shape) => {
        const f = await makeLog(shape);
        const result = await verify(f);
        await f.cleanup();
        expect(result.findings).toEqual([]);
        expect(result.stats.records).toBe(shape.count);
      }),
      { numRuns: 30 },
    );
  });

  mutationClass(
    "flip a byte",
    ["modified-record", "inserted-record", "deleted-record", "truncated-tail"],
    async (f, pick) => {
      const file = join(f.dir, await pickSegment(f, pick));
      const bytes = await readFile(file);
      const at = Math.floor(pick / 7) % bytes.length;
      bytes[at]! ^= 1 << (pick % 8);
      await writeFile(file, bytes);
    },
  );

  mutationClass("delete a record", ["deleted-record", "truncated-tail"], async (f, pick) => {
    await editLines(f.dir, await pickSegment(f, pick), (lines) =>
      lines.filter((_, i) => i !== pick % lines.length),
    );
  });

  mutationClass("insert a record", ["inserted-record", "uncovered-records"], async (f, pick) => {
    await editLines(f.dir, await pickSegment(f, pick), (lines) => {
      const at = pick % (lines.length + 1);
      return [...lines.slice(0, at), fixtureRecord(10_000 + pick), ...lines.slice(at)];
    });
  });

  mutationClass("swap two records", ["reordered-records"], async (f, pick) => {
    const segments = (await listDir(f.dir, "segments")).filter((s) => s.endsWith(".jsonl"));
    const all: { file: string; line: number; text: string }[] = [];
    for (const file of segments) {
      const lines = (await readFile(join(f.dir, file), "utf8")).split("\n").slice(0, -1);
      for (const [line, text] of lines.entries()) all.push({ file, line, text });
    }
    const a = all[pick % all.length]!;
    const b = all[(pick + 1 + (Math.floor(pick / 3) % (all.length - 1))) % all.length]!;
    await editLines(f.dir, a.file, (lines) => lines.map((l, i) => (i === a.line ? b.text : l)));
    await editLines(f.dir, b.file, (lines) => lines.map((l, i) => (i === b.line ? a.text : l)));
  });

  mutationClass("truncate the tail", ["truncated-tail", "deleted-segment"], async (f, pick) => {
    const segments = (await listDir(f.dir, "segments")).filter((s) => s.endsWith(".jsonl"));
    const last = segments[segments.length - 1]!;
    await editLines(f.dir, last, (lines) => lines.slice(0, pick % lines.length));
  });

  mutationClass("delete a segment", ["deleted-segment", "truncated-tail"], async (f, pick) => {
    const seg = await pickSegment(f, pick);
    await rm(join(f.dir, seg));
    if (pick % 2 === 0) await rm(join(f.dir, seg.replace(/\.jsonl$/, ".leaves")));
  });

  mutationClass(
    "drop a checkpoint",
    ["missing-checkpoint", "stale-checkpoint", "no-checkpoint"],
    async (f, pick) => {
      const cps = await listDir(f.dir, "checkpoints");
      await rm(join(f.dir, cps[pick % cps.length]!));
    },
  );

  mutationClass("re-sign with another key", ["bad-signature"], async (f, pick) => {
    const cps = await listDir(f.dir, "checkpoints");
    const file = join(f.dir, cps[pick % cps.length]!);
    const note = parseNote(await readFile(file, "utf8"));
    if (typeof note === "string") throw new Error(note);
    const other = signingKey(f.origin, createPrivateKey(generateKeyPair().privatePem));
    await writeFile(file, signNote(note.body, other));
  });

  mutationClass("replay an old checkpoint", ["replayed-checkpoint"], async (f, pick) => {
    const cps = await listDir(f.dir, "checkpoints");
    fc.pre(cps.length >= 2);
    const older = pick % (cps.length - 1);
    const newer = older + 1 + (Math.floor(pick / 5) % (cps.length - 1 - older));
    await writeFile(join(f.dir, cps[newer]!), await readFile(join(f.dir, cps[older]!)));
  });
});
