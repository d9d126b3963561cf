import { relative } from "node:path";
import { isUserFacingError } from "../errors.js";
import { escapeTerminal } from "../text/escape.js";
import { discoverIncidents, type LoadedIncident, loadIncident, sharedIdError } from "./load.js";

export interface IncidentListing {
  readonly loaded: LoadedIncident[];
  /** Files that did not load, with the reason (file, line and field). */
  readonly invalid: { file: string; error: string }[];
}

/** Loads every incident of a folder, setting aside the ones that don't load. */
export async function listIncidents(dir: string): Promise<IncidentListing> {
  const loaded: LoadedIncident[] = [];
  const invalid: { file: string; error: string }[] = [];
  for (const entry of await discoverIncidents(dir)) {
    try {
      const shared = sharedIdError(entry);
      if (shared) throw shared;
      loaded.push(await loadIncident(entry.file));
    } catch (err) {
      if (!isUserFacingError(err)) throw err;
      invalid.push({ file: entry.file, error: err.message });
    }
  }
  return { loaded, invalid };
}

export function listingJson(listing: IncidentListing, dir: string, cwd: string) {
  return {
    version: 1,
    dir: relative(cwd, dir) || ".",
    incidents: listing.loaded.map(({ incident, file }) => ({
      id: incident.id,
      title: incident.title,
      reported: incident.reported,
      source: incident.source,
      severity: incident.severity,
      facts: incident.expect.facts,
      auditAfter: incident.expect.auditAfter,
      ...(incident.expect.profile ? { profile: incident.expect.profile } : {}),
      ...(incident.tags ? { tags: incident.tags } : {}),
      file: relative(cwd, file),
    })),
    invalid: listing.invalid.map((i) => ({ file: relative(cwd, i.file), error: i.error })),
  };
}

export function listingText(listing: IncidentListing, dir: string, cwd: string): string {
  const where = relative(cwd, dir) || ".";
  if (listing.loaded.length === 0 && listing.invalid.length === 0) {
    return `no incidents in ${where}/ yet; add one with: trailcheck incident add TRACE_FILE\n`;
  }
  const rows = listing.loaded.map(({ incident }) => [
    incident.id,
    incident.reported,
    incident.severity,
    incident.source,
    `${escapeTerminal(incident.title)} (${incident.expect.facts.length} fact${incident.expect.facts.length === 1 ? "" : "s"}, audit ${incident.expect.auditAfter})`,
  ]);
  const header = ["ID", "REPORTED", "SEVERITY", "SOURCE", "TITLE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const bad of listing.invalid) out.push(`invalid  ${escapeTerminal(bad.error)}`);
  out.push(
    `${listing.loaded.length} incident${listing.loaded.length === 1 ? "" : "s"} in ${where}/${listing.invalid.length ? `, ${listing.invalid.length} invalid` : ""}`,
  );
  return `${out.join("\n")}\n`;
}
