import { deriveActions } from "../conventions/index.js";
import { actionDepths } from "../conventions/nesting.js";
import type { FactName } from "../model/action.js";
import { attributeText } from "../model/attributes.js";
import type { Profile } from "../model/profile.js";
import { formatOffset, nanosToDate, runStart } from "../model/time.js";
import { requiredFacts } from "../reconstruct/compare.js";
import { clip, escapeTerminal } from "../text/escape.js";
import { parseFactRef } from "./fact-ref.js";
import type { LoadedIncident } from "./load.js";

/** Structure every action has; shown as the action's own line, not as facts. */
const SHOWN_ON_ACTION_LINE: ReadonlySet<FactName> = new Set([
  "record",
  "traceId",
  "parent",
  "name",
  "status",
]);

/** Deeper actions than this are not indented further but marked with their depth, so output stays linear. */
export const MAX_INDENT = 16;

function indentFor(depth: number): string {
  return "  ".repeat(Math.min(depth, MAX_INDENT) + 1) + (depth > MAX_INDENT ? `(depth ${depth}) ` : "");
}

/**
 * The recorded run of an incident as a terminal timeline: actions in run order, indented under their
 * parents, each with its facts (`*` marks the facts the incident is about) and what the recording
 * lacks that the profile requires. All recorded text is escaped.
 */
export function formatTimeline(loaded: LoadedIncident, profile: Profile): string {
  const { incident, records } = loaded;
  const actions = deriveActions(records);
  const named = incident.expect.facts.map(parseFactRef).filter((r) => !("error" in r));
  const depthOf = actionDepths(actions, records);
  const starts = new Map(records.map((r) => [r.spanId, BigInt(r.start)]));
  const t0 = runStart(records);

  const lines = [
    `${incident.id}  ${escapeTerminal(incident.title)}`,
    `reported ${incident.reported} · ${incident.source} · severity ${incident.severity}`,
    ...incident.summary.split("\n").map((l) => `  ${escapeTerminal(l)}`),
    `expects ${incident.expect.facts.map(escapeTerminal).join(", ")} · audit ${incident.expect.auditAfter} after the run · profile ${profile.name}`,
    `run ${records[0]!.traceId} · ${records.length} spans · ${nanosToDate(t0.toString()).toISOString()}`,
    "",
  ];
  for (const action of actions) {
    const indent = indentFor(depthOf(action));
    const start = action.spanId ? starts.get(action.spanId) : undefined;
    const when = start !== undefined ? formatOffset(start - t0) : "?";
    const status = action.failed ? "FAILED" : (attributeText(action.facts.status) ?? "");
    lines.push(
      `${when.padStart(9)} ${indent}${action.kind.padEnd(7)} ${escapeTerminal(action.name)}${action.spanId ? `  span ${action.spanId}` : ""}${status ? `  ${status}` : ""}`,
    );
    const pad = `${" ".repeat(10)}${indent}  `;
    const mine = named.filter((r) => !("error" in r) && r.kind === action.kind && r.name === action.name);
    const isNamed = (fact: FactName) => mine.some((r) => !("error" in r) && r.fact === fact);
    if (!action.hasRecord) {
      lines.push(
        `${pad}missing: its own record — ${action.requestedBy ? "the model asked for this call and nothing accounts for it" : "known only indirectly"}`,
      );
      continue;
    }
    for (const [fact, value] of Object.entries(action.facts) as [FactName, unknown][]) {
      if (SHOWN_ON_ACTION_LINE.has(fact) && !isNamed(fact)) continue;
      lines.push(
        `${pad}${isNamed(fact) ? "* " : ""}${fact}: ${clip(attributeText(value as never) ?? "", 100)}`,
      );
    }
    const wanted = new Set<FactName>([
      ...requiredFacts(action, profile),
      ...mine.flatMap((r) => ("error" in r ? [] : [r.fact])),
    ]);
    const missing = [...wanted].filter((f) => f !== "parent" && action.facts[f] === undefined);
    if (action.parentSpanId && action.facts.parent === undefined) missing.push("parent");
    if (missing.length > 0) {
      lines.push(
        `${pad}missing: ${missing.map((f) => (isNamed(f) ? `* ${f}` : f)).join(", ")} (not in the recording)`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
