import { readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureRecord, type SealedLogFixture, sealedLogFixture } from "../testing/sealed-log.js";
import { showHidden } from "../text/escape.js";
import { openCheckpoint } from "./checkpoint.js";
import { BUNDLE_VERSION, buildBundleFiles, ManifestSchema, ProofsSchema } from "./export-bundle.js";
import { exportBundle } from "./export-log.js";
import { readBundleFiles, verifyBundle, verifyBundleFiles } from "./verify-export.js";

let log: SealedLogFixture;
let files: Map<string, Buffer>;
const traceId = (2).toString(16).padStart(32, "0");

beforeAll(async () => {
  const records = Array.from({ length: 23 }, (_, i) =>
    fixtureRecord(i, i === 7 ? `<img src=x onerror="alert('x')">` : "ok"),
  );
  // A span name that reads backwards past a bidi override, and a payload with text hidden between
  // isolates and zero-width spaces.
  records[8] = JSON.stringify({
    ...JSON.parse(records[8]!),
    name: "refund\u202e)txt.exe(",
    attributes: { payload: "ok\u2066\u200bhidden\u2069\u{e0041}" },
  });
  log = await sealedLogFixture({ records, checkpointEvery: 6, segmentRecords: 8 });
  const out = join(log.dir, "..", `${log.dir.split(sep).at(-1)}-bundle`);
  const outcome = await exportBundle(log.dir, log.publicKey, { traceId }, out, log.now);
  expect(outcome.ok).toBe(true);
  files = await readBundleFiles(out);
  expect(await verifyBundle(out, log.publicKey)).toEqual({ version: 1, valid: true, findings: [] });
});

/** The bundle rebuilt from its own records and proofs in another format version. */
function rebuilt(version: 1 | 2): Map<string, Buffer> {
  const opened = openCheckpoint(files.get("checkpoint.txt")!.toString(), log.publicKey);
  if (!opened.ok) throw new Error(opened.message);
  const lines = files.get("records.jsonl")!.toString().trim().split("\n");
  const proofs = ProofsSchema.parse(JSON.parse(files.get("proofs.json")!.toString()));
  const manifest = ManifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString()));
  return buildBundleFiles({
    checkpointText: opened.text,
    checkpoint: opened.checkpoint,
    records: lines.map((line, i) => ({
      line,
      index: proofs.entries[i]!.index,
      leafHash: Buffer.from(proofs.entries[i]!.leafHash, "hex"),
      proof: proofs.entries[i]!.proof.map((p) => Buffer.from(p, "hex")),
    })),
    selection: manifest.selection,
    version,
  });
}
afterAll(() => log.cleanup());

describe("auditor export bundle", () => {
  it("holds the run's records with proofs, the checkpoint, a manifest and one timeline", () => {
    expect([...files.keys()].sort()).toEqual([
      "checkpoint.txt",
      "manifest.json",
      "proofs.json",
      "records.jsonl",
      `timeline/${traceId}.html`,
    ]);
    const records = files.get("records.jsonl")!.toString().trim().split("\n");
    expect(records.map((r) => JSON.parse(r).spanId)).toEqual([
      "0000000000000006",
      "0000000000000007",
      "0000000000000008",
      "0000000000000009",
      "000000000000000a",
    ]);
    const proofs = JSON.parse(files.get("proofs.json")!.toString());
    expect(proofs.entries.map((e: { index: number }) => e.index)).toEqual([5, 6, 7, 8, 9]);
    const manifest = JSON.parse(files.get("manifest.json")!.toString());
    expect(manifest).toMatchObject({ treeSize: 23, records: 5, selection: { traceId }, runs: [traceId] });
  });

  it("escapes every value in the HTML timeline and loads nothing", () => {
    const html = files.get(`timeline/${traceId}.html`)!.toString();
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;\\&quot;alert(&#x27;x&#x27;)\\&quot;&gt;");
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("shows bidi controls and invisible characters in the timeline as <U+…>, never raw", () => {
    const html = files.get(`timeline/${traceId}.html`)!.toString();
    expect(JSON.parse(files.get("manifest.json")!.toString()).version).toBe(BUNDLE_VERSION);
    expect(html).toContain("refund&lt;U+202E&gt;)txt.exe(");
    expect(html).toContain("ok&lt;U+2066&gt;&lt;U+200B&gt;hidden&lt;U+2069&gt;&lt;U+E0041&gt;");
    // Nothing hidden is left but the page's own line breaks.
    expect(html.replace(/\n/g, "")).toBe(showHidden(html.replace(/\n/g, "")));
  });

  it("verifies a version 1 bundle, whose timelines showed hidden characters raw, as it was written", () => {
    const v1 = rebuilt(1);
    expect(JSON.parse(v1.get("manifest.json")!.toString()).version).toBe(1);
    expect(v1.get(`timeline/${traceId}.html`)!.toString()).toContain("refund\u202e)txt.exe(");
    expect(verifyBundleFiles(v1, log.publicKey)).toEqual({ version: 1, valid: true, findings: [] });
    expect(rebuilt(2)).toEqual(files);
    // A version 2 manifest beside a raw timeline is an edited bundle.
    const mixed = new Map(files).set(`timeline/${traceId}.html`, v1.get(`timeline/${traceId}.html`)!);
    expect(verifyBundleFiles(mixed, log.publicKey).findings).toEqual([
      {
        kind: "modified-file",
        file: `timeline/${traceId}.html`,
        message: "differs from what the proven records produce",
      },
    ]);
  });

  it("fails after any single bit of any file changes", () => {
    const names = [...files.keys()];
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), (f, at, bit) => {
        const name = names[f % names.length]!;
        const copy = new Map(files);
        const bytes = Buffer.from(files.get(name)!);
        bytes[at % bytes.length]! ^= 1 << bit;
        copy.set(name, bytes);
        const result = verifyBundleFiles(copy, log.publicKey);
        expect(result.valid, `${name}@${at % bytes.length}`).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("fails when a file is deleted, truncated, extended, or one is added", () => {
    for (const name of files.keys()) {
      const without = new Map(files);
      without.delete(name);
      expect(verifyBundleFiles(without, log.publicKey).valid, `delete ${name}`).toBe(false);
      const cut = new Map(files).set(name, files.get(name)!.subarray(0, -1));
      expect(verifyBundleFiles(cut, log.publicKey).valid, `truncate ${name}`).toBe(false);
      const longer = new Map(files).set(name, Buffer.concat([files.get(name)!, Buffer.from("\n")]));
      expect(verifyBundleFiles(longer, log.publicKey).valid, `extend ${name}`).toBe(false);
    }
    const extra = new Map(files).set("notes.txt", Buffer.from("trust me"));
    expect(verifyBundleFiles(extra, log.publicKey).findings).toEqual([
      { kind: "unexpected-file", file: "notes.txt", message: "not part of the bundle" },
    ]);
  });

  it("names a swapped record line and a forged proof", () => {
    const lines = files.get("records.jsonl")!.toString().split("\n");
    [lines[0], lines[1]] = [lines[1]!, lines[0]!];
    const swapped = verifyBundleFiles(
      new Map(files).set("records.jsonl", Buffer.from(lines.join("\n"))),
      log.publicKey,
    );
    expect(swapped.findings[0]).toMatchObject({ kind: "modified-record", index: 5 });
    const proofs = JSON.parse(files.get("proofs.json")!.toString());
    proofs.entries[2].proof[0] = "ab".repeat(32);
    const forged = new Map(files).set("proofs.json", Buffer.from(`${JSON.stringify(proofs, null, 2)}\n`));
    expect(verifyBundleFiles(forged, log.publicKey).findings).toMatchObject([
      { kind: "bad-proof", index: 7 },
    ]);
  });

  it("exports a time range with its tight bounds, and refuses an empty selection", async () => {
    const since = BigInt(Date.parse("2025-01-01T00:00:03Z")) * 1_000_000n;
    const out = `${log.dir}-range`;
    const outcome = await exportBundle(
      log.dir,
      log.publicKey,
      { since, until: since + 2_000_000_000n },
      out,
      log.now,
    );
    expect(outcome).toMatchObject({ ok: true, records: 3, runs: 2 });
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.selection).toEqual({
      since: since.toString(),
      until: (since + 2_000_000_000n).toString(),
    });
    expect((await verifyBundle(out, log.publicKey)).valid).toBe(true);
    await expect(
      exportBundle(log.dir, log.publicKey, { traceId: "f".repeat(32) }, `${log.dir}-none`, log.now),
    ).rejects.toThrow(/no sealed record matches/);
  });
});
