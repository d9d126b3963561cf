import { z } from "zod";
import { DurationSchema, durationNanos } from "../model/duration.js";
import { CorrelationFieldSchema, IntegritySchema, SdkExportSchema } from "../model/logging-config.js";
import { ProfileInputSchema } from "../model/profile.js";
import { loadYaml } from "../yaml/load.js";
import { NON_STORING_EXPORTERS } from "./components.js";
import type { Component } from "./read-config.js";
import { isPlainMap } from "./source-tree.js";

/** What the backend behind one exporter keeps: the facts a collector config does not hold. */
export const StorageEntrySchema = z.strictObject({
  retention: DurationSchema.optional(),
  available: DurationSchema.optional(),
  correlation: z.array(CorrelationFieldSchema).optional(),
  integrity: IntegritySchema.optional(),
  max_value_length: z.number().int().positive().optional(),
});
export type StorageEntry = z.infer<typeof StorageEntrySchema>;

/** The storage side file: entries keyed by exporter id, plus the agent SDK settings and the profile. */
export const StorageFileSchema = z.strictObject({
  exporters: z.record(z.string(), StorageEntrySchema).default({}),
  sdk: SdkExportSchema.optional(),
  compliance: z.union([z.string(), ProfileInputSchema]).optional(),
});
export type StorageFile = z.infer<typeof StorageFileSchema>;

export function loadStorageFile(file: string): Promise<StorageFile> {
  return loadYaml(file, StorageFileSchema, "bad-storage-file");
}

/** The stream fields of one exporter's store, and how they were read. */
export interface StoreReading {
  readonly fields: StorageEntry & { retention: string };
  readonly notes: string[];
  /** Effects on what is kept that the reading can't model: `[setting, message]`. */
  readonly unknown: [string, string][];
}

function shorter(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const na = durationNanos(a);
  const nb = durationNanos(b);
  if (na === undefined) return b;
  return nb === undefined || na <= nb ? a : b;
}

function positive(v: unknown, fallback: number): number {
  return typeof v === "number" && v >= 0 ? v : fallback;
}

/** The `file` exporter: `rotation` bounds retention by age (and by volume); without it, `append: false` truncates. */
function readFileExporter(exporter: Component, entry: StorageEntry | undefined, reading: StoreReading): void {
  const s = exporter.settings;
  if ("rotation" in s) {
    const rotation = isPlainMap(s.rotation) ? s.rotation : {};
    const maxDays = positive(rotation.max_days, 0);
    const maxMb = positive(rotation.max_megabytes, 100);
    const maxBackups = positive(rotation.max_backups, 100);
    if (maxDays > 0) {
      const bound = `${maxDays}d`;
      reading.fields.retention = shorter(entry?.retention, bound);
      reading.notes.push(`rotation.max_days ${maxDays} deletes backups older than ${bound}`);
    }
    if (maxBackups > 0) {
      reading.unknown.push([
        "rotation",
        `rotation keeps at most ${maxBackups} backups of ${maxMb} MB (${maxBackups * maxMb} MB besides the current file); when that volume fills first, older records are deleted sooner than the retention says, which is not modelled`,
      ]);
    }
  } else if (s.append !== true) {
    reading.unknown.push([
      "append",
      "append is false (the default): the file is truncated whenever the collector starts, so records from before the last restart are lost; restarts are not modelled",
    ]);
  }
}

/**
 * Reads what an exporter's backend keeps: its side-file entry, bounded by what the config itself shows
 * (the file exporter's rotation); `debug`/`nop` keep nothing. Without either, retention is unknown: it is
 * set to `forever` so no retention gap is invented, and reported.
 */
export function readStore(exporter: Component, entry: StorageEntry | undefined): StoreReading {
  const reading: StoreReading = {
    fields: { ...entry, retention: entry?.retention ?? "forever" },
    notes: [],
    unknown: [],
  };
  if (entry) reading.notes.push(`storage file: ${JSON.stringify(entry)}`);
  if (NON_STORING_EXPORTERS.has(exporter.type) && entry?.retention === undefined) {
    reading.fields.retention = "0s";
    reading.notes.push(`the ${exporter.type} exporter keeps nothing (retention 0s)`);
    return reading;
  }
  if (exporter.type === "file") readFileExporter(exporter, entry, reading);
  if (entry?.retention === undefined && reading.fields.retention === "forever") {
    reading.unknown.push([
      "retention",
      `retention unknown: the storage file has no retention for exporter "${exporter.id}"; treated as forever, so no retention gap is reported for its stream`,
    ]);
  }
  return reading;
}
