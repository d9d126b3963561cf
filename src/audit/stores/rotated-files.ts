import { NS_PER_MS } from "../../model/time.js";

/**
 * The rotated backups lumberjack (the collector file exporter's `rotation`) leaves beside the file it
 * writes: `<name>-<2006-01-02T15-04-05.000><ext>`, gzipped with `.gz` appended, the time being when the
 * backup was rotated out (UTC unless `localtime`).
 */
const BACKUP = /^(.*)-(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)\.(\d{3})(\.[^.-]*)?(\.gz)?$/i;

/** A file of a rotating series: the live file, or a backup with the time it was rotated out. */
export interface SeriesFile {
  readonly name: string;
  /** The series: the live file's name (`traces.json` for `traces-2026-01-15T09-30-00.000.json.gz`). */
  readonly series: string;
  /** When the backup was rotated out (unix ns); undefined for the live file. */
  readonly rotatedAt?: bigint;
}

export function seriesFile(name: string): SeriesFile {
  const m = BACKUP.exec(name);
  if (!m) return { name, series: name.replace(/\.gz$/i, "") };
  const [, prefix, y, mo, d, h, mi, s, ms, ext] = m;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  if (Number.isNaN(at)) return { name, series: name.replace(/\.gz$/i, "") };
  return { name, series: `${prefix}${ext ?? ""}`, rotatedAt: BigInt(at) * NS_PER_MS };
}

/** One file with the write-time bounds its place in the series gives it. */
export interface SeriesSegment {
  readonly name: string;
  readonly writtenAfter?: bigint;
  readonly writtenBefore?: bigint;
  /** The oldest file of a series that has rotated: where its retention edge is. */
  readonly oldest: boolean;
}

/**
 * Orders each series oldest first and bounds every file by its neighbours: a backup holds what was
 * written between the previous rotation and its own; the live file what came after the last one.
 */
export function seriesSegments(names: readonly string[]): SeriesSegment[] {
  const bySeries = new Map<string, SeriesFile[]>();
  for (const name of names) {
    const file = seriesFile(name);
    const list = bySeries.get(file.series) ?? [];
    list.push(file);
    bySeries.set(file.series, list);
  }
  const out: SeriesSegment[] = [];
  for (const files of bySeries.values()) {
    const backups = files
      .filter((f) => f.rotatedAt !== undefined)
      .sort((a, b) => (a.rotatedAt! < b.rotatedAt! ? -1 : a.rotatedAt! > b.rotatedAt! ? 1 : 0));
    const live = files.filter((f) => f.rotatedAt === undefined);
    let previous: bigint | undefined;
    backups.forEach((f, i) => {
      out.push({
        name: f.name,
        ...(previous !== undefined ? { writtenAfter: previous } : {}),
        // The name keeps milliseconds: the rotation happened before the next one began.
        writtenBefore: f.rotatedAt! + NS_PER_MS - 1n,
        oldest: i === 0,
      });
      previous = f.rotatedAt;
    });
    for (const f of live) {
      out.push({
        name: f.name,
        ...(previous !== undefined ? { writtenAfter: previous } : {}),
        oldest: false,
      });
    }
  }
  return out;
}
