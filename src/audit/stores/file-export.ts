import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../errors.js";
import { checkInputFile } from "../../files/read-input.js";
import type { ReadRange, SpanStore, StoreListing, StoreSegment } from "../store.js";
import { readExportFile } from "./read-export.js";
import { seriesFile, seriesSegments } from "./rotated-files.js";

// `.zst`: a file the exporter compresses as a whole (its nativeCompression gate), named so by its path.
const DATA_FILE = /\.(json|jsonl|ndjson|binpb|pb|proto|log)(\.gz|\.zst)?$|\.(gz|zst)$/i;

async function kind(path: string): Promise<"file" | "dir"> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new InputError(
      "store-not-found",
      "the store does not exist; give the exporter's file or its directory",
      {
        file: path,
      },
    );
  }
  // A FIFO or a device would block the read for ever: a store is a file or a folder of them.
  if (!isDirectory) await checkInputFile(path, "the store");
  return isDirectory ? "dir" : "file";
}

/** The furthest a clock's local time is ahead of UTC (UTC+14). */
const MAX_UTC_OFFSET_NS = 14n * 3_600_000_000_000n;

/**
 * Whether a backup the name places before the range may still hold records written in it. With
 * `rotation.localtime` lumberjack names backups in the host's local time, which west of UTC reads as
 * hours earlier than the rotation was: the file's modification time, its last write, then lies up to
 * 14 hours after the name, and it bounds the writes. A modification time further from the name is a
 * copy's, and says nothing.
 */
async function writtenInRange(file: string, named: bigint, from: bigint): Promise<boolean> {
  const modified = await stat(file, { bigint: true }).then(
    (s) => s.mtimeNs,
    () => undefined,
  );
  return (
    modified !== undefined && modified > named && modified <= named + MAX_UTC_OFFSET_NS && modified >= from
  );
}

/** The live file and its backups, or every data file of a directory. */
async function listNames(path: string): Promise<{ dir: string; names: string[] }> {
  if ((await kind(path)) === "dir") {
    const entries = await readdir(path, { withFileTypes: true });
    return {
      dir: path,
      names: entries.filter((e) => e.isFile() && DATA_FILE.test(e.name)).map((e) => e.name),
    };
  }
  const dir = dirname(path);
  const series = seriesFile(basename(path)).series;
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile() && seriesFile(e.name).series === series).map((e) => e.name);
  return { dir, names };
}

/**
 * The collector file exporter's output (`exporter/fileexporter`): a file with its rotated backups beside
 * it, or a directory of such series (one per exporter or stream). Backups and gzip are read as the live
 * file; a backup rotated out before the range is skipped unread, as is one started after `now`.
 */
export function fileExportStore(path: string, spec: string): SpanStore {
  return {
    spec,
    async list(range: ReadRange): Promise<StoreListing> {
      const { dir, names } = await listNames(path);
      const all = seriesSegments(names);
      const segments: StoreSegment[] = [];
      let skipped = 0;
      for (const s of all) {
        const file = join(dir, s.name);
        const early =
          s.writtenBefore !== undefined &&
          s.writtenBefore < range.from &&
          !(await writtenInRange(file, s.writtenBefore, range.from));
        const late = s.writtenAfter !== undefined && s.writtenAfter > range.now;
        if (early || late) {
          skipped++;
          continue;
        }
        segments.push({
          label: file,
          inWriteOrder: true,
          ...(s.writtenAfter !== undefined ? { writtenAfter: s.writtenAfter } : {}),
          ...(s.writtenBefore !== undefined ? { writtenBefore: s.writtenBefore } : {}),
          // The oldest backup of a series that has rotated: older ones may have been deleted.
          ...(s.oldest ? { edgeProbe: true } : {}),
          read: () => readExportFile(file),
        });
      }
      return { segments, skipped };
    },
  };
}
