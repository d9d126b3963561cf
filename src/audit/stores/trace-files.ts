import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { checkInputFile } from "../../files/read-input.js";
import type { TraceFormat } from "../../ingest/formats.js";
import { readRecords } from "../../ingest/index.js";
import { inBatches } from "../../ingest/read-records.js";
import type { SpanStore, StoreListing } from "../store.js";
import { isGzip, readExportObject } from "./read-export.js";

const TRACE_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/**
 * Trace files as trailcheck ingests them — OTLP JSON documents, OpenAI Agents SDK exports, trailcheck
 * JSONL — one file or every such file of a directory. Their names say nothing about time, so each is
 * read whole, after the stores whose layout does. A gzipped OTLP JSON document is read as one object.
 */
export function traceFilesStore(path: string, spec: string, format?: TraceFormat): SpanStore {
  return {
    spec,
    async list(): Promise<StoreListing> {
      const s = await stat(path).catch(() => undefined);
      if (!s) throw new InputError("store-not-found", "the store does not exist", { file: path });
      // A FIFO or a device would block the read for ever: a store is a file or a folder of them.
      if (!s.isDirectory()) await checkInputFile(path, "the store");
      const files = s.isDirectory()
        ? (await readdir(path, { withFileTypes: true }))
            .filter((e) => e.isFile() && TRACE_FILE.test(e.name))
            .map((e) => join(path, e.name))
            .sort()
        : [path];
      return {
        skipped: 0,
        segments: files.map((file) => ({
          label: file,
          read: async function* () {
            if (isGzip(file)) yield await readExportObject(file);
            else yield* inBatches(readRecords(file, format ? { format } : {}));
          },
        })),
      };
    },
  };
}
