import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { NS_PER_MS } from "../../model/time.js";
import type { ReadRange, SpanStore, StoreListing, StoreSegment } from "../store.js";
import { readExportObject } from "./read-export.js";

/** The awss3exporter's default partition levels (`year=%Y/month=%m/day=%d/hour=%H/minute=%M`). */
const LEVELS = ["year", "month", "day", "hour", "minute"] as const;
type Level = (typeof LEVELS)[number];
const PARTITION = /^(year|month|day|hour|minute)=(\d{1,4})$/;
const OBJECT = /\.(json|binpb)(\.gz)?$/i;

type Parts = Partial<Record<Level, number>>;

/** The UTC interval `[start, end)` a partition covers, from the levels named so far. */
export function partitionInterval(parts: Parts): { start: bigint; end: bigint } {
  const y = parts.year ?? 1970;
  const fields = [y, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0];
  const start = Date.UTC(fields[0]!, fields[1]!, fields[2]!, fields[3]!, fields[4]!);
  const deepest = LEVELS.filter((l) => parts[l] !== undefined).at(-1);
  const next = [...fields];
  const bump = { year: 0, month: 1, day: 2, hour: 3, minute: 4 }[deepest ?? "year"];
  next[bump] = next[bump]! + 1;
  const end = Date.UTC(next[0]!, next[1]!, next[2]!, next[3]!, next[4]!);
  return { start: BigInt(start) * NS_PER_MS, end: BigInt(end) * NS_PER_MS };
}

interface Walk {
  readonly segments: StoreSegment[];
  skippedEarly: number;
  skippedLate: number;
  partitions: number;
  oldestRead?: bigint;
}

async function walk(dir: string, parts: Parts, range: ReadRange, out: Walk): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const inPartition = Object.keys(parts).length > 0;
  const { start, end } = partitionInterval(parts);
  const objects = entries
    .filter((e) => e.isFile() && OBJECT.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (inPartition && objects.length > 0) {
    out.partitions++;
    if (out.oldestRead === undefined || start < out.oldestRead) out.oldestRead = start;
    for (const o of objects) {
      const file = join(dir, o.name);
      // The exporter partitions by upload time, which comes after every span in the object ended.
      out.segments.push({
        label: file,
        writtenAfter: start,
        writtenBefore: end,
        read: async function* () {
          yield await readExportObject(file);
        },
      });
    }
  }
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const m = PARTITION.exec(e.name);
    if (!m) {
      // An `s3_prefix` level before the partitions; inside partitions, not the exporter's layout.
      if (!inPartition) await walk(join(dir, e.name), parts, range, out);
      continue;
    }
    const next = { ...parts, [m[1] as Level]: Number(m[2]) };
    const interval = partitionInterval(next);
    if (interval.end <= range.from) {
      out.skippedEarly++;
      continue;
    }
    if (interval.start > range.now) {
      out.skippedLate++;
      continue;
    }
    await walk(join(dir, e.name), next, range, out);
  }
}

/**
 * A copy (or mount) of the bucket the awss3exporter writes: Hive partitions `year=/month=/day=/hour=/
 * minute=` holding one `ExportTraceServiceRequest` per object (`otlp_json` `.json` or `otlp_proto`
 * `.binpb`, `.gz` when compressed). Partitions are pruned by their names: one that ended before the
 * range or began after `now` is not opened. The oldest partition is the store's retention edge (a
 * lifecycle rule expires objects oldest first), unless older partitions were pruned.
 */
export function s3LayoutStore(dir: string, spec: string): SpanStore {
  return {
    spec,
    async list(range: ReadRange): Promise<StoreListing> {
      const s = await stat(dir).catch(() => undefined);
      if (!s?.isDirectory()) {
        throw new InputError(
          "store-not-found",
          "the S3 layout store must be a directory (the bucket or its prefix)",
          {
            file: dir,
          },
        );
      }
      const out: Walk = { segments: [], skippedEarly: 0, skippedLate: 0, partitions: 0 };
      await walk(dir, {}, range, out);
      if (out.partitions === 0 && out.skippedEarly === 0 && out.skippedLate === 0) {
        throw new InputError(
          "bad-store",
          "no awss3exporter partitions (year=YYYY/month=MM/day=DD/hour=HH/minute=MM) with .json or .binpb objects under it",
          { file: dir },
        );
      }
      const edge = out.skippedEarly === 0 ? out.oldestRead : undefined;
      return {
        segments: out.segments,
        skipped: out.skippedEarly + out.skippedLate,
        ...(edge !== undefined ? { edge } : {}),
      };
    },
  };
}
