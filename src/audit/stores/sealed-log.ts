import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError, parserMessage } from "../../errors.js";
import { readLines } from "../../ingest/read-lines.js";
import { inBatches } from "../../ingest/read-records.js";
import { recordFromTrailcheckJson } from "../../ingest/trailcheck-jsonl.js";
import { readKeyFile, readTrustedCheckpoint } from "../../integrity/cli-support.js";
import { SEGMENTS_DIR } from "../../integrity/store-layout.js";
import { verifyLogDir } from "../../integrity/verify-log.js";
import type { SpanRecord } from "../../model/record.js";
import { nanosToDate } from "../../model/time.js";
import type { ReadRange, SpanStore, StoreListing } from "../store.js";

export interface SealedLogOptions {
  /** The log's Ed25519 public key (PEM file). */
  readonly key: string;
  /** A checkpoint kept outside the store, which catches a cut-off tail. */
  readonly trusted?: string;
}

const SEGMENT = /^\d{12}\.jsonl$/;

/** A segment's records; a line that doesn't parse is skipped, as verification already reports it. */
async function* segmentRecords(file: string, valid: boolean): AsyncGenerator<SpanRecord> {
  for await (const { text, line } of readLines(file)) {
    const source = { file, line };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (valid) throw new InputError("bad-json", `not valid JSON: ${parserMessage(err)}`, source);
      continue;
    }
    yield recordFromTrailcheckJson(value, source);
  }
}

/**
 * A sealed log directory (RFC 9162 Merkle log with signed checkpoints) as `SealedLogWriter` or the
 * `SealingSpanExporter` writes it. It is verified with the verifier `trailcheck verify` uses, at the
 * audit's `now`, before its records are read; when verification fails, every run with a record in it
 * gets an `integrity` reason naming the findings.
 */
export function sealedLogStore(dir: string, spec: string, options: SealedLogOptions): SpanStore {
  return {
    spec,
    async list(range: ReadRange): Promise<StoreListing> {
      const publicKey = await readKeyFile(options.key, "public");
      const trusted = options.trusted ? await readTrustedCheckpoint(options.trusted) : undefined;
      const result = await verifyLogDir(dir, publicKey, {
        now: nanosToDate(range.now.toString()),
        ...(trusted ? { trusted } : {}),
      });
      const findings = result.findings.map((f) => `${f.kind}${f.file ? ` (${f.file})` : ""}: ${f.message}`);
      const names = (await readdir(join(dir, SEGMENTS_DIR)).catch(() => [] as string[]))
        .filter((n) => SEGMENT.test(n))
        .sort();
      const shown =
        findings.slice(0, 3).join("; ") + (findings.length > 3 ? `; and ${findings.length - 3} more` : "");
      return {
        skipped: 0,
        segments: names.map((name) => {
          const file = join(dir, SEGMENTS_DIR, name);
          return {
            label: file,
            inWriteOrder: true,
            read: () => inBatches(segmentRecords(file, result.valid)),
          };
        }),
        integrity: { valid: result.valid, findings },
        ...(result.valid
          ? {}
          : {
              evidence: {
                name: `sealed log ${dir}`,
                reasonsFor: () => [
                  {
                    code: "integrity" as const,
                    cause: "integrity" as const,
                    message: `the sealed log ${dir} holding this run fails verification: ${shown}`,
                  },
                ],
              },
            }),
      };
    },
  };
}
