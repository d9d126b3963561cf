import { randomUUID } from "node:crypto";
import type { Tracer } from "@opentelemetry/api";
import { resultSha256 } from "./digest.js";
import type { LedgerSink } from "./open-ledger.js";
import type { ToolCallEnd, ToolCallStart } from "./records.js";
import { markUnrecorded, recordRefusal } from "./refusal.js";
import { activeSpanIds } from "./span-ids.js";

/** `block`: a call that can't be recorded does not run. `flag`: it runs, and its span says it is unrecorded. */
export type GuardMode = "block" | "flag";

export interface GuardOptions {
  /** Default `block`. */
  readonly mode?: GuardMode;
  /** Starts the policy decision span of a refusal; default the global tracer `trailcheck.guard`. */
  readonly tracer?: Tracer;
  readonly clock?: () => Date;
  /** A record that could not be written although the call went on (flag mode, or any end record). */
  readonly onUnrecorded?: (event: UnrecordedEvent) => void;
}

export interface UnrecordedEvent {
  readonly toolName: string;
  readonly callId: string;
  readonly record: "start" | "end";
  readonly error: Error;
}

/** One tool call as any framework sees it. */
export interface GuardedCall {
  readonly toolName: string;
  /** The model's tool call id; one is made up when the framework has none. */
  readonly callId?: string;
  readonly arguments?: unknown;
}

/** The tool error a blocked call gets instead of running: the message says why. */
export class GuardRefusal extends Error {
  readonly code = "ledger-unavailable";
  constructor(
    readonly toolName: string,
    readonly callId: string,
    cause: Error,
  ) {
    super(
      `${toolName} was not run: trailcheck guard could not record the call (${callId}) in the audit ledger ` +
        `before running it (${cause.message}), and refuses to act without a record`,
      { cause },
    );
    this.name = "GuardRefusal";
  }
}

function errorOf(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * Runs `run` as one recorded tool call: a `tool-call.start` record is appended and made durable
 * first; if that fails, `block` mode refuses (a `GuardRefusal`, and a policy decision on the trace)
 * while `flag` mode runs the call and marks its span. After the call a `tool-call.end` record follows;
 * if that one fails the result still goes back — the side effect already happened, and an error
 * would only make the agent try again. A tool returning an async iterable (streamed results) is
 * recorded as ended when the iteration ends.
 */
export async function guardCall<T>(
  ledger: LedgerSink,
  call: GuardedCall,
  run: () => T | Promise<T>,
  options: GuardOptions = {},
): Promise<T> {
  const now = () => (options.clock ? options.clock() : new Date()).toISOString();
  const ids = activeSpanIds();
  const callId = call.callId ?? `guard-${randomUUID()}`;
  const unrecorded = (record: "start" | "end", error: Error) => {
    markUnrecorded();
    (options.onUnrecorded ?? defaultUnrecorded)({ toolName: call.toolName, callId, record, error });
  };
  const start: ToolCallStart = {
    type: "tool-call.start",
    ...ids,
    toolName: call.toolName,
    callId,
    ...(call.arguments !== undefined ? { arguments: call.arguments } : {}),
    at: now(),
  };
  try {
    await ledger.append(start);
  } catch (thrown) {
    const error = errorOf(thrown);
    if ((options.mode ?? "block") === "block") {
      recordRefusal(ledger, call, callId, ids.spanId, error, options.tracer);
      throw new GuardRefusal(call.toolName, callId, error);
    }
    unrecorded("start", error);
  }

  const end = async (outcome: Pick<ToolCallEnd, "outcome" | "resultSha256" | "error">) => {
    const record: ToolCallEnd = {
      type: "tool-call.end",
      ...ids,
      toolName: call.toolName,
      callId,
      ...outcome,
      at: now(),
    };
    await ledger.append(record).catch((thrown: unknown) => unrecorded("end", errorOf(thrown)));
  };
  let result: T;
  try {
    result = await run();
  } catch (thrown) {
    await end({ outcome: "error", error: errorOf(thrown).message });
    throw thrown;
  }
  if (isAsyncIterable(result)) return recordWhenDone(result, end) as T;
  await end({ outcome: "ok", resultSha256: resultSha256(result) });
  return result;
}

/** Passes a streamed result through and records the end once it is exhausted (or fails). */
async function* recordWhenDone(
  source: AsyncIterable<unknown>,
  end: (outcome: Pick<ToolCallEnd, "outcome" | "resultSha256" | "error">) => Promise<void>,
): AsyncGenerator<unknown> {
  let last: unknown;
  let outcome: Pick<ToolCallEnd, "outcome" | "resultSha256" | "error"> | undefined;
  try {
    for await (const item of source) {
      last = item;
      yield item;
    }
    // The last value is the tool's final output (AI SDK preliminary results precede it).
    outcome = { outcome: "ok", resultSha256: resultSha256(last) };
  } catch (thrown) {
    outcome = { outcome: "error", error: errorOf(thrown).message };
    throw thrown;
  } finally {
    await end(outcome ?? { outcome: "error", error: "the caller stopped reading the tool's results early" });
  }
}

function defaultUnrecorded(event: UnrecordedEvent): void {
  process.emitWarning(
    `${event.toolName} (${event.callId}) ran without its ${event.record} record in the audit ledger: ${event.error.message}`,
    { code: "TRAILCHECK_GUARD_UNRECORDED" },
  );
}
