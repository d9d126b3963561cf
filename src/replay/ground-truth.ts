import { normaliseArguments } from "../conventions/_internals/values.js";
import { accountToolCalls } from "../conventions/account-tool-calls.js";
import { deriveActions } from "../conventions/index.js";
import type { Gap } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import { groupRuns } from "../model/run.js";
import type { ModelExchange, ServedToolCall } from "./exchange.js";

/** A tool result the agent fed back, with the model call that carried it first. */
export interface TruthToolResult {
  readonly callId: string;
  readonly output: string;
  /** Index of the first exchange whose request carried it. */
  readonly exchange: number;
}

/** What happened in a replay, as the mock model saw it: independent of the agent's telemetry. */
export interface GroundTruth {
  /** Model calls the agent made that the script answered (turns served, failed ones included). */
  readonly modelCalls: number;
  /** Every tool call the model asked for, in order. */
  readonly toolCallsRequested: readonly ServedToolCall[];
  /** Every tool result the agent fed back, once each, in order. */
  readonly toolResults: readonly TruthToolResult[];
}

/**
 * The facts of a replay from its exchanges. Overruns and unreadable requests are not model calls:
 * the script never answered them, and they are reported as the agent's failure instead.
 */
export function groundTruth(exchanges: readonly ModelExchange[]): GroundTruth {
  let modelCalls = 0;
  const toolCallsRequested: ServedToolCall[] = [];
  const toolResults: TruthToolResult[] = [];
  const seen = new Set<string>();
  for (const e of exchanges) {
    if (e.turn === undefined) continue;
    modelCalls += 1;
    for (const r of e.toolResults) {
      if (seen.has(r.callId)) continue; // each request repeats the results of earlier steps
      seen.add(r.callId);
      toolResults.push({ callId: r.callId, output: r.output, exchange: e.index });
    }
    if (e.response.kind === "tool-calls") toolCallsRequested.push(...e.response.toolCalls);
  }
  return { modelCalls, toolCallsRequested, toolResults };
}

const HINTS = {
  record:
    "Instrument every model call and tool execution (e.g. AI SDK experimental_telemetry, or an " +
    "OpenTelemetry span per call), and flush the exporter before the process exits.",
  arguments:
    "Record tool arguments on the tool span (AI SDK: recordOutputs must not be false; GenAI: " +
    "gen_ai.tool.call.arguments).",
  result:
    "Record tool results on the tool span (AI SDK: recordOutputs must not be false; GenAI: " +
    "gen_ai.tool.call.result).",
} as const;

function gap(
  fact: "record" | "arguments" | "result",
  severity: Gap["severity"],
  message: string,
  action: Gap["action"],
  traceId: string,
): Gap {
  return {
    cause: "instrumentation",
    stage: "instrumentation",
    severity,
    fact,
    message,
    hint: HINTS[fact],
    action,
    traceId,
  };
}

/** Gaps with no record of their own belong to the run with the most records: the agent's run. */
export function agentTraceId(records: readonly SpanRecord[]): string {
  const runs = groupRuns(records);
  return [...runs].sort((a, b) => b.records.length - a.records.length)[0]?.traceId ?? "";
}

/**
 * Compares what happened (the exchange) with what the agent emitted (its records): each model call
 * needs an llm record, each requested tool call a tool record (or a policy decision that blocked
 * it) carrying the arguments the model sent and the result the agent fed back. Every miss is a gap
 * with cause `instrumentation`. Pure.
 */
export function instrumentationGaps(truth: GroundTruth, records: readonly SpanRecord[]): Gap[] {
  const runs = groupRuns(records);
  const mainTrace = agentTraceId(records);
  const actions = runs.flatMap((r) => deriveActions(r.records)).filter((a) => a.hasRecord);
  const bySpan = new Map(records.map((r) => [r.spanId, r]));
  const llm = actions.filter((a) => a.kind === "llm");
  const gaps: Gap[] = [];

  for (let i = llm.length; i < truth.modelCalls; i++) {
    gaps.push(
      gap(
        "record",
        "high",
        `model call ${i + 1} of ${truth.modelCalls} left no LLM record (${llm.length} emitted)`,
        { kind: "llm", name: `model call ${i + 1}` },
        mainTrace,
      ),
    );
  }

  const results = new Map(truth.toolResults.map((r) => [r.callId, r]));
  // Any same-name tool record is the call's record: wrong arguments are reported on it below.
  const accounted = accountToolCalls(
    truth.toolCallsRequested.map((call) => ({ call })),
    actions,
    bySpan,
    { anySameName: true },
  );
  for (const [i, call] of truth.toolCallsRequested.entries()) {
    const { tool: action, policy } = accounted[i]!;
    const ref = { kind: "tool" as const, name: call.name };
    if (!action) {
      if (policy) continue;
      gaps.push(
        gap(
          "record",
          "critical",
          `the model asked for ${call.name} (${call.id}) and no tool record or blocking policy decision accounts for it`,
          ref,
          mainTrace,
        ),
      );
      continue;
    }
    const at = { ...ref, spanId: action.spanId };
    const args = action.facts.arguments;
    if (args === undefined) {
      gaps.push(
        gap("arguments", "high", `the ${call.name} record (${call.id}) has no arguments`, at, action.traceId),
      );
    } else if (normaliseArguments(args) !== normaliseArguments(call.arguments)) {
      gaps.push(
        gap(
          "arguments",
          "high",
          `the ${call.name} record (${call.id}) has arguments ${String(args)} but the model sent ${JSON.stringify(call.arguments)}`,
          at,
          action.traceId,
        ),
      );
    }
    const fed = results.get(call.id);
    // A failed tool records its error instead of a result; the error is the fact then.
    if (!fed || action.failed) continue;
    const result = action.facts.result;
    if (result === undefined) {
      gaps.push(
        gap("result", "medium", `the ${call.name} record (${call.id}) has no result`, at, action.traceId),
      );
    } else if (normaliseArguments(result) !== normaliseArguments(fed.output)) {
      gaps.push(
        gap(
          "result",
          "medium",
          `the ${call.name} record (${call.id}) has result ${String(result)} but the agent fed back ${fed.output}`,
          at,
          action.traceId,
        ),
      );
    }
  }
  return gaps;
}
