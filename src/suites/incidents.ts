// Every incident in incidents/ is a permanent test: its recorded run goes through the
// project's current logging config and profile at the incident's audit time, and must come out
// reconstructable, with every fact the incident names still there.
import { relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkIncident,
  discoverIncidents,
  type IncidentContext,
  installMatchers,
  loadIncident,
  loadIncidentContext,
  recordResult,
  resolveProject,
  sharedIdError,
} from "../public/testing.js";

installMatchers();

// The project `trailcheck run` resolved (it hands it over in the environment), else this folder's.
const project = await resolveProject();
const entries = await discoverIncidents(project.incidentsDir);
// A broken logging config fails every incident's test with its message, rather than the collection.
const context: Promise<{ ok: IncidentContext } | { error: unknown }> = loadIncidentContext(project).then(
  (ok) => ({ ok }),
  (error: unknown) => ({ error }),
);

describe("incidents", () => {
  if (entries.length === 0) it.skip(`no incidents in ${project.incidentsDir}`, () => {});
  for (const entry of entries) {
    it(entry.testName, async ({ task }) => {
      const shared = sharedIdError(entry);
      if (shared) throw shared;
      const loaded = await loadIncident(entry.file);
      const ctx = await context;
      if ("error" in ctx) throw ctx.error;
      const result = await checkIncident(loaded, ctx.ok);
      // Before the assertions, so a failing test still hands its gaps to the report.
      recordResult(task, {
        kind: "incident",
        id: loaded.incident.id,
        title: loaded.incident.title,
        tags: [loaded.incident.source, loaded.incident.severity],
        verdicts: result.verdicts,
        comparisons: result.comparisons,
        records: loaded.records,
        // results.json points here instead of repeating the recorded run.
        source: relative(project.root, loaded.file).split(sep).join("/"),
        profile: result.profile.name,
        auditAfter: loaded.incident.expect.auditAfter,
      });
      expect.soft(result).toKeepFacts(loaded.incident.expect.facts);
      expect(result).toBeReconstructable();
    });
  }
});
