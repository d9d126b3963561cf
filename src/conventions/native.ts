import type { Action } from "../model/action.js";
import type { Attributes } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { factFrom } from "./_internals/draft.js";
import { stringOf } from "./_internals/values.js";
import { mapGenAiFacts } from "./genai.js";

/**
 * trailcheck's own small convention for what no standard covers yet: policy decisions (and
 * handoffs). Native agent, llm and tool spans use the GenAI names.
 */
export const NATIVE_KEYS = {
  kind: "trailcheck.kind",
  policyName: ["policy.name"],
  decision: ["policy.decision"],
  reason: ["policy.reason"],
  /** The governed action: its span id, else (for a call that never ran) the model's tool call id. */
  subject: ["policy.subject", "policy.tool_call.id"],
  /** The governed tool call, so a blocking decision accounts for a call that never ran. */
  toolCallId: "policy.tool_call.id",
  toolName: "policy.tool.name",
  toolArguments: "policy.tool.arguments",
  handoffFrom: ["handoff.from", "handoff.from_agent"],
  handoffTo: ["handoff.to", "handoff.to_agent"],
} as const;

export type Decision = "allow" | "deny" | "flag";

/** The spellings of each decision, lower case, as guardrail libraries write them. */
export const DECISION_WORDS: Readonly<Record<string, Decision>> = {
  allow: "allow",
  allowed: "allow",
  pass: "allow",
  passed: "allow",
  ok: "allow",
  permit: "allow",
  deny: "deny",
  denied: "deny",
  block: "deny",
  blocked: "deny",
  reject: "deny",
  rejected: "deny",
  fail: "deny",
  failed: "deny",
  flag: "flag",
  flagged: "flag",
  warn: "flag",
};

/** A decision word in any of the spellings guardrail libraries use, or undefined. */
export function normaliseDecision(value: unknown): Decision | undefined {
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  return Object.hasOwn(DECISION_WORDS, word) ? DECISION_WORDS[word] : undefined;
}

/** The native `policy.*` facts; any convention's policy record may carry them. */
export function mapPolicyAttributes(attributes: Attributes, action: Action): void {
  const name = factFrom(action, "name", attributes, NATIVE_KEYS.policyName);
  if (name !== undefined) action.name = stringOf(name) ?? action.name;
  const decision = factFrom(action, "decision", attributes, NATIVE_KEYS.decision);
  if (decision !== undefined) action.blocks = normaliseDecision(decision) === "deny";
  factFrom(action, "reason", attributes, NATIVE_KEYS.reason);
  factFrom(action, "subject", attributes, NATIVE_KEYS.subject);
}

export function mapNativeFacts(record: SpanRecord, action: Action): void {
  const a = record.attributes;
  switch (action.kind) {
    case "policy":
      mapPolicyAttributes(a, action);
      return;
    case "handoff": {
      const from = factFrom(action, "from", a, NATIVE_KEYS.handoffFrom);
      const to = factFrom(action, "to", a, NATIVE_KEYS.handoffTo);
      if (from !== undefined || to !== undefined) {
        action.name = `${stringOf(from) ?? "?"} → ${stringOf(to) ?? "?"}`;
      }
      return;
    }
    default:
      mapGenAiFacts(record, action);
  }
}
