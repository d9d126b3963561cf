import type { Action, FactName } from "../model/action.js";
import type { Profile } from "../model/profile.js";
import { requiredFacts } from "../reconstruct/compare.js";
import { type FactRef, formatFactRef } from "./fact-ref.js";

/**
 * Not named by default: the links are implied (a lost record or link loses every fact with it), and
 * the name and status are not what anyone asks for first.
 */
const IMPLIED: ReadonlySet<FactName> = new Set(["record", "parent", "traceId", "name", "status"]);

function unique(refs: FactRef[]): string[] {
  return [...new Set(refs.map(formatFactRef))];
}

/**
 * The facts an incident is about when the engineer names none: every fact the profile requires that
 * the recording itself lacks (the incident is the gap), else the content facts of the run's tool
 * calls and policy decisions — what a complaint, an audit or an investigation asks for first.
 */
export function defaultFacts(actions: readonly Action[], profile: Profile): string[] {
  const missing: FactRef[] = [];
  for (const action of actions) {
    if (!action.hasRecord) {
      missing.push({ kind: action.kind, name: action.name, fact: "record" });
      continue;
    }
    for (const fact of requiredFacts(action, profile)) {
      if (fact !== "parent" && action.facts[fact] === undefined) {
        missing.push({ kind: action.kind, name: action.name, fact });
      }
    }
  }
  if (missing.length > 0) return unique(missing);
  const content: FactRef[] = [];
  for (const action of actions) {
    if (action.kind !== "tool" && action.kind !== "policy") continue;
    for (const fact of requiredFacts(action, profile)) {
      if (!IMPLIED.has(fact) && action.facts[fact] !== undefined) {
        content.push({ kind: action.kind, name: action.name, fact });
      }
    }
  }
  if (content.length > 0) return unique(content);
  // A run with no tool or policy action: its actions' records.
  return unique(
    actions.filter((a) => a.hasRecord).map((a) => ({ kind: a.kind, name: a.name, fact: "record" })),
  );
}
