import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NS_PER_MS } from "../../model/time.js";
import { fileExportStore } from "./file-export.js";

// The file exporter's `rotation.localtime: true` names backups in the host's local time (lumberjack's
// backupName formats `currentTime()` without `.UTC()` then); the default is UTC. West of UTC such a name
// reads hours earlier than the rotation was, and the backup would be skipped as written before the range.

const ns = (iso: string) => BigInt(Date.parse(iso)) * NS_PER_MS;
const at = (iso: string) => new Date(iso);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "trailcheck-file-export-"));
  const file = (name: string, modified: string) => {
    writeFileSync(join(dir, name), "");
    utimesSync(join(dir, name), at(modified), at(modified));
  };
  // UTC-5, localtime: rotated out at 09:50 UTC, named 04:50; its last write was at 09:49:58 UTC.
  file("traces-2026-01-15T04-50-00.000.json", "2026-01-15T09:49:58Z");
  file("traces.json", "2026-01-15T10:20:00Z");
  // UTC names: rotated out at 08:30 UTC, last written just before; a copy of a 07:00 backup made in June.
  file("llm-2026-01-15T08-30-00.000.json", "2026-01-15T08:29:59Z");
  file("llm-2026-01-15T07-00-00.000.json", "2026-06-01T12:00:00Z");
  file("llm.json", "2026-01-15T10:20:00Z");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the file exporter's rotated backups", () => {
  it("reads a backup named in local time west of UTC whose last write is in the range", async () => {
    const listing = await fileExportStore(dir, `file:${dir}`).list({
      from: ns("2026-01-15T09:00:00Z"),
      now: ns("2026-01-15T10:30:00Z"),
    });
    expect(listing.segments.map((s) => basename(s.label)).sort()).toEqual([
      "llm.json",
      "traces-2026-01-15T04-50-00.000.json",
      "traces.json",
    ]);
    // UTC backups rotated out before the range stay unread, a copy's modification time notwithstanding.
    expect(listing.skipped).toBe(2);
  });
});
