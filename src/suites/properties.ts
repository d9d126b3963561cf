// Property-based synthetic runs: generated agent runs in every trace convention go through
// the project's logging config, and every property must hold for each. numRuns and seed are the
// project's (TRAILCHECK_NUM_RUNS / TRAILCHECK_SEED, else `properties:` of trailcheck.config.yaml, else the
// defaults: src/project/project.ts), and the seed is printed on every run so a CI failure reproduces.
import { describe, it } from "vitest";
import {
  auditTime,
  checkProperties,
  formatPropertiesFailure,
  loadProjectLogging,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  type PropertiesResult,
  projectProfile,
  recordResult,
  replayFlags,
  resolveProject,
  saveCounterexample,
} from "../public/testing.js";

const project = await resolveProject();

async function judging() {
  const logging = await loadProjectLogging(project);
  const { profile, from } = await projectProfile(project, logging);
  return { logging, profile, profileFrom: from, audit: auditTime(project, profile) };
}
// A broken config fails one test with its message (file, line, field) instead of the whole collection.
const loaded =
  project.from.logging !== "none"
    ? await judging().then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      )
    : undefined;

/** Runs the properties once for every test of the file; saves the counterexample when asked. */
let running: Promise<{ result: PropertiesResult; saved: string }> | undefined;
function runProperties(j: Awaited<ReturnType<typeof judging>>) {
  running ??= (async () => {
    const { logging, profile, audit } = j;
    console.log(
      `trailcheck properties: ${project.numRuns} runs (${project.from.numRuns}), seed ${project.seed} (${project.from.seed}), logging ${logging.label}, profile ${profile.name} (${j.profileFrom}), audit ${audit.text} — reproduce with TRAILCHECK_SEED=${project.seed} TRAILCHECK_NUM_RUNS=${project.numRuns}`,
    );
    const result = checkProperties(logging.config, profile, {
      numRuns: project.numRuns,
      seed: project.seed,
      auditAfterNs: audit.ns,
      source: replayFlags(project),
      probabilities: false,
    });
    if (!project.saveCounterexamples || !result.failed) return { result, saved: "" };
    const added = await saveCounterexample(result, { project, logging, profile, audit });
    return {
      result,
      saved: added ? `\nsaved as ${added.incident.incident.id}: ${added.incident.yamlPath}` : "",
    };
  })();
  return running;
}

describe(`properties of ${loaded && "ok" in loaded ? loaded.ok.logging.label : "the logging config"}`, () => {
  if (!loaded) {
    it.skip("no `logging:` in trailcheck.config.yaml: nothing to check", () => {});
    return;
  }
  if ("error" in loaded) {
    it("property:logging the logging config loads", () => {
      throw loaded.error;
    });
    return;
  }
  for (const name of PROPERTY_NAMES) {
    it(PROPERTY_TITLES[name], async ({ task }) => {
      const { result, saved } = await runProperties(loaded.ok);
      const violation = result.counterexample?.violations.find((v) => v.property === name);
      recordResult(task, {
        kind: "property",
        id: name,
        title: PROPERTY_TITLES[name],
        verdicts: violation
          ? [{ traceId: result.counterexample!.run.traceId, reconstructable: false, gaps: violation.gaps }]
          : [],
        profile: loaded.ok.profile.name,
        property: {
          seed: result.seed,
          numRuns: result.numRuns,
          ...(violation && result.path ? { path: result.path } : {}),
          ...(violation && result.replay ? { replay: result.replay } : {}),
          ...(violation
            ? { counterexample: JSON.stringify(result.counterexample!.run.plan).slice(0, 2000) }
            : {}),
        },
      });
      if (result.error || violation) throw new Error(formatPropertiesFailure(result) + saved);
    });
  }
});
