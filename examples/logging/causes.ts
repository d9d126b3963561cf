import { join } from "node:path";
import { loadLoggingConfig } from "../../src/config/logging.js";
import type { Cause } from "../../src/model/gap.js";
import { resolveProfile } from "../../src/profiles/resolve.js";
import { auditTime } from "../../src/project/judging.js";

/** Each example logging config and the one cause it illustrates; `passing.yaml` has none. */
export const EXAMPLE_CAUSES: readonly (readonly [config: string, cause: Cause])[] = [
  ["export.yaml", "export"],
  ["routing.yaml", "routing"],
  ["sampling.yaml", "sampling"],
  ["filter.yaml", "filter"],
  ["redaction.yaml", "redaction"],
  ["truncation.yaml", "truncation"],
  ["correlation.yaml", "correlation"],
  ["retention.yaml", "retention"],
  ["integrity.yaml", "integrity"],
];

/** An example logging config (a file name of this folder), the profile it names and the audit time that profile gives. */
export async function loadExample(name: string) {
  const config = await loadLoggingConfig(join(import.meta.dirname, name));
  const profile = await resolveProfile(config.compliance);
  return { config, profile, auditAfterNs: auditTime({}, profile).ns };
}
