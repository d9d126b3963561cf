// Property-based synthetic runs (DESIGN §9): generated agent runs in every trace convention go through
// the project's logging config, and every property must hold for each. numRuns and seed come from
// `properties:` in trailcheck.config.yaml, TRAILCHECK_NUM_RUNS / TRAILCHECK_SEED override them, and the
// seed is printed on every run so a CI failure reproduces.
import { isAbsolute, join, relative } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { loadLoggingConfig, resolveProfile } from "../public/index.js";
import {
  auditAfter,
  checkProperties,
  formatPropertiesFailure,
  loadPropertySettings,
  PROPERTY_NAMES,
  PROPERTY_TITLES,
  type PropertiesResult,
  recordResult,
} from "../public/testing.js";

const root = process.env.TRAILCHECK_ROOT ?? process.cwd();
const settings = await loadPropertySettings(root);
const logging = settings.logging ?? join(root, "examples", "logging", "passing.yaml");
const rel = relative(root, logging);
const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : logging;

let result: PropertiesResult;

beforeAll(async () => {
  const config = await loadLoggingConfig(logging);
  const profile = await resolveProfile(settings.profile ?? config.compliance, logging);
  const audit = auditAfter(undefined, profile);
  console.log(
    `trailcheck properties: ${settings.numRuns} runs (${settings.from.numRuns}), seed ${settings.seed} (${settings.from.seed}), logging ${shown}, profile ${profile.name}, audit ${audit.text} — reproduce with TRAILCHECK_SEED=${settings.seed} TRAILCHECK_NUM_RUNS=${settings.numRuns}`,
  );
  result = checkProperties(config, profile, {
    numRuns: settings.numRuns,
    seed: settings.seed,
    auditAfterNs: audit.ns,
    source: ["--logging", shown],
    probabilities: false,
  });
});

describe(`properties of ${shown}`, () => {
  for (const name of PROPERTY_NAMES) {
    it(PROPERTY_TITLES[name], ({ task }) => {
      const violation = result.counterexample?.violations.find((v) => v.property === name);
      recordResult(task, {
        kind: "property",
        id: name,
        title: PROPERTY_TITLES[name],
        verdicts: violation
          ? [{ traceId: result.counterexample!.run.traceId, reconstructable: false, gaps: violation.gaps }]
          : [],
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
      if (result.error) throw new Error(formatPropertiesFailure(result));
      if (result.counterexample?.violations.some((v) => v.property === name)) {
        throw new Error(formatPropertiesFailure(result));
      }
    });
  }
});
