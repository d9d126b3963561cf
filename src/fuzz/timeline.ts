import { deriveActions } from "../conventions/index.js";
import type { Action } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { formatOffset, formatSeconds } from "../model/time.js";
import { escapeTerminal } from "../text/escape.js";

const PII: [string, RegExp][] = [
  ["email", /[\w.+-]+@[\w-]+\.[\w.]+/],
  ["card", /\b\d{15,16}\b/],
  ["api-key", /\bsk-[\w-]{20,}/],
  ["aws-key", /\bAKIA[A-Z2-7]{16}\b/],
  ["phone", /\+\d{11,}/],
];

function sizeOf(length: number): string {
  return length >= 1024 ? `${(length / 1024).toFixed(0)} kB` : `${length} chars`;
}

/** Personal data and secrets visible in a record's attributes, by type. */
function sensitive(record: SpanRecord): string[] {
  const text = Object.values(record.attributes)
    .filter((v) => typeof v === "string")
    .join("\n");
  return PII.filter(([, re]) => re.test(text)).map(([name]) => name);
}

function largest(record: SpanRecord): number {
  let max = 0;
  for (const v of Object.values(record.attributes)) if (typeof v === "string") max = Math.max(max, v.length);
  return max;
}

function keyFacts(record: SpanRecord, action: Action | undefined): string[] {
  const out: string[] = [];
  if (action?.failed || record.status.code === "error") out.push(`error ${action?.facts.error ?? ""}`.trim());
  if (action?.kind === "llm" && action.requestedToolCalls.length > 0) {
    out.push(`asks ${action.requestedToolCalls.map((c) => `${c.name}(${c.id ?? "?"})`).join(", ")}`);
  }
  if (action?.kind === "tool" && action.facts.callId !== undefined) out.push(`call ${action.facts.callId}`);
  const content =
    action?.kind === "tool"
      ? action.facts.arguments
      : action?.kind === "llm"
        ? action.facts.output
        : undefined;
  if (content !== undefined) {
    const length = (typeof content === "string" ? content : JSON.stringify(content)).length;
    out.push(`${action?.kind === "tool" ? "args" : "output"} ${sizeOf(length)}`);
  }
  if (action?.kind === "policy") {
    out.push(`${action.facts.decision ?? "?"}${action.facts.subject ? ` → ${action.facts.subject}` : ""}`);
  }
  const big = largest(record);
  if (big >= 1024 && !out.some((f) => f.endsWith(sizeOf(big)))) out.push(`largest value ${sizeOf(big)}`);
  const pii = sensitive(record);
  if (pii.length > 0) out.push(pii.join("+"));
  return out;
}

/**
 * A run as a timeline a reviewer can read: one line per span in start order, with its offset from the
 * run's start, layer, name, span id, parent and the facts that matter (errors, requested tool calls,
 * decisions, payload sizes, personal data seen). A span that runs for minutes shows when it ends.
 */
export function formatRunTimeline(records: readonly SpanRecord[]): string[] {
  if (records.length === 0) return ["(no spans)"];
  const actions = new Map(deriveActions(records).flatMap((a) => (a.spanId ? [[a.spanId, a]] : [])));
  const sorted = [...records].sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
  const t0 = BigInt(sorted[0]!.start);
  const last = sorted.reduce((m, r) => (BigInt(r.end) > m ? BigInt(r.end) : m), t0);
  const head = `run ${records[0]!.traceId} · ${records[0]!.convention} · ${records.length} span(s) over ${formatSeconds(last - t0)}`;
  const lines = [head];
  for (const r of sorted) {
    const action = actions.get(r.spanId);
    const name = action?.name ?? r.name;
    const facts = keyFacts(r, action);
    const ends = BigInt(r.end) - t0;
    const late = ends - (BigInt(r.start) - t0) >= 30_000_000_000n ? ` (ends ${formatOffset(ends)})` : "";
    lines.push(
      escapeTerminal(
        `  ${formatOffset(BigInt(r.start) - t0).padEnd(9)} ${r.kind.padEnd(7)} ${name.slice(0, 28).padEnd(28)} span ${r.spanId.slice(0, 8)}  ${r.parentSpanId ? `parent ${r.parentSpanId.slice(0, 8)}` : "root           "}${facts.length ? `  ${facts.join("; ")}` : ""}${late}`.trimEnd(),
      ),
    );
  }
  return lines;
}
