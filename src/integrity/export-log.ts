import type { KeyObject } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";
import { type BundleRecord, buildBundleFiles } from "./export-bundle.js";
import { matchesRequest, type SelectionRequest } from "./export-selection.js";
import { leafHash } from "./hash.js";
import { MerkleTree } from "./merkle-tree.js";
import { readHashedStore } from "./read-hashed-store.js";
import { readRecordLines } from "./record-chunks.js";
import { viewRecord } from "./record-view.js";
import { reviewCheckpoints } from "./verify-checkpoints.js";
import { type LogVerification, verifyHashedStore } from "./verify-log.js";

export type ExportOutcome =
  | { readonly ok: true; readonly files: string[]; readonly records: number; readonly runs: number }
  | { readonly ok: false; readonly verification: LogVerification };

/**
 * Writes an auditor bundle for the selected records of a sealed log. The log is verified first:
 * a bundle proven against a tampered log would launder the tampering, so that refuses instead.
 */
export async function exportBundle(
  logDir: string,
  publicKey: KeyObject,
  request: SelectionRequest,
  out: string,
  now: Date = new Date(),
): Promise<ExportOutcome> {
  const store = await readHashedStore(logDir);
  const verification = verifyHashedStore(store, publicKey, { now });
  // Staleness is about the log's future, not the records already sealed; an open log can be exported.
  const blocking = verification.findings.filter(
    (f) => f.kind !== "stale-checkpoint" && f.kind !== "uncovered-records",
  );
  if (blocking.length > 0)
    return { ok: false, verification: { ...verification, findings: blocking, valid: false } };

  const newest = reviewCheckpoints(store.checkpoints, publicKey, now).accepted.at(-1)!;
  const size = newest.checkpoint.size;
  const tree = MerkleTree.ofPacked(
    store.segments.map((seg) => seg.records),
    size,
  );
  const records: BundleRecord[] = [];
  let index = 0;
  // The records themselves are read again, streamed: only the selected ones are kept.
  for (const seg of store.segments) {
    if (index >= size) break;
    for await (const bytes of readRecordLines(join(logDir, seg.file))) {
      if (index >= size) break;
      const line = bytes.toString("utf8");
      if (matchesRequest(viewRecord(line), request)) {
        if (!Buffer.from(line).equals(bytes)) {
          throw new InputError(
            "not-utf8",
            `record ${index} is not valid UTF-8 and cannot be exported as JSON lines`,
            { file: logDir },
          );
        }
        // Read twice: a record that changed since it was verified must not enter the bundle.
        const leafHashed = tree.hash(index, index + 1);
        if (!leafHash(bytes).equals(leafHashed)) {
          throw new InputError(
            "log-dir",
            `record ${index} changed while the log was exported; export again`,
            {
              file: logDir,
            },
          );
        }
        records.push({
          line,
          index,
          leafHash: tree.hash(index, index + 1),
          proof: tree.inclusionProof(index),
        });
      }
      index++;
    }
  }
  if (records.length === 0) {
    throw new InputError(
      "empty-export",
      "no sealed record matches the selection; check --trace-id or --since/--until",
      {
        file: logDir,
      },
    );
  }
  await makeFolder(out);
  if ((await readdir(out)).length > 0) {
    throw new InputError("export-not-empty", "the bundle directory must be empty or new", { file: out });
  }
  const files = buildBundleFiles({
    checkpointText: newest.text,
    checkpoint: newest.checkpoint,
    records,
    selection: request,
  });
  for (const [path, bytes] of files) {
    await writeFileAtomic(join(out, path), bytes);
  }
  const runs = [...files.keys()].filter((f) => f.startsWith("timeline/")).length;
  return { ok: true, files: [...files.keys()].sort(), records: records.length, runs };
}
