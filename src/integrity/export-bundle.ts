import { createHash } from "node:crypto";
import { z } from "zod";
import type { Checkpoint } from "./checkpoint.js";
import { type Selection, type SelectionRequest, SelectionSchema, selectionOf } from "./export-selection.js";
import { renderTimeline, type TimelineEntry } from "./export-timeline.js";
import { type RecordView, viewRecord } from "./record-view.js";

/** Fixed file names inside a bundle. */
export const BUNDLE_FILES = {
  records: "records.jsonl",
  proofs: "proofs.json",
  checkpoint: "checkpoint.txt",
  manifest: "manifest.json",
} as const;

/**
 * The bundle format written today. 2: the timelines show hidden characters as `<U+202E>`; 1 showed them
 * raw. `verify-export` rebuilds a bundle in the version its manifest names.
 */
export const BUNDLE_VERSION = 2;

const HEX32 = z.string().regex(/^[0-9a-f]{64}$/);

export const ProofsSchema = z.strictObject({
  version: z.literal(1),
  origin: z.string(),
  treeSize: z.number().int().nonnegative(),
  root: HEX32,
  entries: z.array(
    z.strictObject({
      line: z.number().int().positive(),
      index: z.number().int().nonnegative(),
      leafHash: HEX32,
      proof: z.array(HEX32),
    }),
  ),
});
export type Proofs = z.infer<typeof ProofsSchema>;

export const ManifestSchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(BUNDLE_VERSION)]),
  origin: z.string(),
  treeSize: z.number().int().nonnegative(),
  root: HEX32,
  checkpointSeq: z.number().int().positive(),
  selection: SelectionSchema,
  records: z.number().int().nonnegative(),
  runs: z.array(z.string()),
  files: z.array(z.strictObject({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: HEX32 })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** One exported record: its exact line, where it sits in the log, and its inclusion proof. */
export interface BundleRecord {
  readonly line: string;
  readonly index: number;
  readonly leafHash: Buffer;
  readonly proof: readonly Buffer[];
}

export interface BundleInput {
  readonly checkpointText: string;
  readonly checkpoint: Checkpoint;
  readonly records: readonly BundleRecord[];
  readonly selection: SelectionRequest | Selection;
  /** The format to write: today's unless rebuilding an older bundle to verify it. */
  readonly version?: Manifest["version"];
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

/** File name of a run's timeline; trace ids are hex, anything else is hashed into a safe name. */
export function timelineFile(traceId: string): string {
  const safe = /^[0-9a-f]{32}$/.test(traceId)
    ? traceId
    : createHash("sha256").update(traceId).digest("hex").slice(0, 32);
  return `timeline/${safe}.html`;
}

/**
 * Every file of an export bundle, byte for byte, from the records, their proofs and the signed
 * checkpoint. Deterministic, so `verify-export` rebuilds it and any changed byte shows.
 */
export function buildBundleFiles(input: BundleInput): Map<string, Buffer> {
  const { checkpoint: cp, version = BUNDLE_VERSION } = input;
  const views: RecordView[] = input.records.map((r) => viewRecord(r.line));
  const files = new Map<string, Buffer>();
  files.set(BUNDLE_FILES.checkpoint, Buffer.from(input.checkpointText));
  files.set(BUNDLE_FILES.records, Buffer.from(input.records.map((r) => `${r.line}\n`).join("")));
  const proofs: Proofs = {
    version: 1,
    origin: cp.origin,
    treeSize: cp.size,
    root: cp.root.toString("hex"),
    entries: input.records.map((r, i) => ({
      line: i + 1,
      index: r.index,
      leafHash: r.leafHash.toString("hex"),
      proof: r.proof.map((p) => Buffer.from(p).toString("hex")),
    })),
  };
  files.set(BUNDLE_FILES.proofs, json(proofs));

  const runs = new Map<string, TimelineEntry[]>();
  input.records.forEach((r, i) => {
    const view = views[i]!;
    const key = view.traceId ?? "(no trace id)";
    const entries = runs.get(key);
    if (entries) entries.push({ index: r.index, view });
    else runs.set(key, [{ index: r.index, view }]);
  });
  for (const [traceId, entries] of runs)
    files.set(timelineFile(traceId), Buffer.from(renderTimeline(traceId, entries, cp, version)));

  const listed = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
  const manifest: Manifest = {
    version,
    origin: cp.origin,
    treeSize: cp.size,
    root: cp.root.toString("hex"),
    checkpointSeq: cp.seq,
    selection: selectionOf(views, input.selection),
    records: input.records.length,
    runs: [...runs.keys()],
    files: listed.map(([path, bytes]) => ({
      path,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    })),
  };
  files.set(BUNDLE_FILES.manifest, json(manifest));
  return files;
}
