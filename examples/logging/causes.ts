import type { Cause } from "../../src/model/gap.js";

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
