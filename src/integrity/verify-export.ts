import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { readInputBytes } from "../files/read-input.js";
import { openCheckpoint } from "./checkpoint.js";
import {
  BUNDLE_FILES,
  type BundleRecord,
  buildBundleFiles,
  ManifestSchema,
  ProofsSchema,
} from "./export-bundle.js";
import { matchesSelection } from "./export-selection.js";
import { type Finding, finding, type VerifyResult, verifyResult } from "./findings.js";
import { leafHash, sameHash } from "./hash.js";
import { listFiles } from "./list-files.js";
import { verifyInclusion } from "./proof-verify.js";
import { viewRecord } from "./record-view.js";
import { splitLines } from "./store-layout.js";

/** A bundle directory as path → bytes. */
export async function readBundleFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const path of await listFiles(root)) {
    files.set(path, await readInputBytes(join(root, path), "a file of the bundle"));
  }
  return files;
}

function parseJson(bytes: Buffer | undefined): unknown {
  try {
    return bytes ? JSON.parse(bytes.toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks an export bundle offline with the log's public key only: the checkpoint's signature, every
 * record's inclusion proof against it, the selection, and then every file byte for byte against a
 * rebuild — so the manifest, the proofs file and the HTML cannot be edited either.
 */
export async function verifyBundle(dir: string, publicKey: KeyObject): Promise<VerifyResult> {
  let files: Map<string, Buffer>;
  try {
    files = await readBundleFiles(dir);
  } catch {
    throw new InputError("bundle-dir", "cannot read the bundle directory", { file: dir });
  }
  return verifyBundleFiles(files, publicKey);
}

/** The same check over a bundle already in memory (path → bytes). */
export function verifyBundleFiles(files: ReadonlyMap<string, Buffer>, publicKey: KeyObject): VerifyResult {
  const findings: Finding[] = [];
  const fail = (f: Finding) => verifyResult([...findings, f]);

  const manifest = ManifestSchema.safeParse(parseJson(files.get(BUNDLE_FILES.manifest)));
  if (!manifest.success)
    return fail(
      finding("modified-file", "manifest is missing or not a trailcheck manifest", {
        file: BUNDLE_FILES.manifest,
      }),
    );
  const cpBytes = files.get(BUNDLE_FILES.checkpoint);
  if (!cpBytes)
    return fail(
      finding("missing-file", "the signed checkpoint is missing", { file: BUNDLE_FILES.checkpoint }),
    );
  const opened = openCheckpoint(cpBytes.toString("utf8"), publicKey);
  if (!opened.ok) {
    const kind = opened.reason === "signature" ? "bad-signature" : "modified-file";
    return fail(finding(kind, opened.message, { file: BUNDLE_FILES.checkpoint }));
  }
  const cp = opened.checkpoint;
  const proofs = ProofsSchema.safeParse(parseJson(files.get(BUNDLE_FILES.proofs)));
  if (!proofs.success)
    return fail(finding("modified-file", "proofs are missing or malformed", { file: BUNDLE_FILES.proofs }));

  const lines = splitLines(files.get(BUNDLE_FILES.records) ?? Buffer.alloc(0));
  const entries = proofs.data.entries;
  if (lines.length !== entries.length) {
    findings.push(
      finding("modified-file", `${lines.length} records but ${entries.length} proofs`, {
        file: BUNDLE_FILES.records,
      }),
    );
  }
  const records: BundleRecord[] = [];
  let previous = -1;
  lines.forEach((bytes, i) => {
    const entry = entries[i];
    if (!entry) return;
    const leaf = leafHash(bytes);
    const proof = entry.proof.map((p) => Buffer.from(p, "hex"));
    if (!sameHash(leaf, Buffer.from(entry.leafHash, "hex"))) {
      findings.push(
        finding("modified-record", `line ${i + 1} is not the record that was exported`, {
          file: BUNDLE_FILES.records,
          index: entry.index,
        }),
      );
    } else if (entry.index <= previous) {
      findings.push(
        finding("reordered-records", `line ${i + 1} is out of log order`, {
          file: BUNDLE_FILES.records,
          index: entry.index,
        }),
      );
    } else {
      const problem = verifyInclusion(entry.index, cp.size, leaf, proof, cp.root);
      if (problem)
        findings.push(
          finding("bad-proof", `line ${i + 1}: ${problem}`, {
            file: BUNDLE_FILES.proofs,
            index: entry.index,
          }),
        );
    }
    previous = entry.index;
    const line = bytes.toString("utf8");
    if (!matchesSelection(viewRecord(line), manifest.data.selection)) {
      findings.push(
        finding("outside-selection", `line ${i + 1} does not match the bundle's selection`, {
          file: BUNDLE_FILES.records,
          index: entry.index,
        }),
      );
    }
    records.push({ line, index: entry.index, leafHash: leaf, proof });
  });
  if (findings.length > 0) return verifyResult(findings);

  const expected = buildBundleFiles({
    checkpointText: opened.text,
    checkpoint: cp,
    records,
    selection: manifest.data.selection,
    version: manifest.data.version,
  });
  for (const [path, bytes] of expected) {
    const actual = files.get(path);
    if (!actual) findings.push(finding("missing-file", "listed in the bundle but absent", { file: path }));
    else if (!actual.equals(bytes))
      findings.push(finding("modified-file", "differs from what the proven records produce", { file: path }));
  }
  for (const path of files.keys()) {
    if (!expected.has(path))
      findings.push(finding("unexpected-file", "not part of the bundle", { file: path }));
  }
  return verifyResult(findings);
}
