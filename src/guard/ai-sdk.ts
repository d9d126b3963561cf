import { type GuardOptions, guardCall } from "./guard-call.js";
import type { LedgerSink } from "./open-ledger.js";

export interface GuardToolsOptions extends GuardOptions {
  /** Where records go: a ledger from `openLedger`, or any sink with `append`. */
  readonly ledger: LedgerSink;
}

/** The part of an AI SDK tool (v5 and v6 alike) the guard touches. */
interface ExecutableTool {
  execute?: (input: never, options: never) => unknown;
}

/**
 * Guards every tool of an AI SDK tool set (`ai` v5 or v6): each `execute` becomes a recorded call
 * (see `guardCall`), keyed by the name the model calls it by and the SDK's `toolCallId`. Tools
 * without `execute` (client-side and provider-executed ones) pass through unchanged. The SDK runs
 * `execute` inside its `ai.toolCall` span, so records carry that span's ids and a refusal becomes
 * a tool error on it.
 */
export function guardTools<T extends Record<string, object>>(tools: T, options: GuardToolsOptions): T {
  const { ledger, ...guard } = options;
  const out: Record<string, object> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = (tool as ExecutableTool).execute as
      | ((input: unknown, options: { toolCallId?: string } | undefined) => unknown)
      | undefined;
    if (typeof execute !== "function") {
      out[name] = tool;
      continue;
    }
    const guarded = (input: unknown, executeOptions: { toolCallId?: string } | undefined) =>
      guardCall(
        ledger,
        {
          toolName: name,
          ...(executeOptions?.toolCallId ? { callId: executeOptions.toolCallId } : {}),
          arguments: input,
        },
        () => execute.call(tool, input, executeOptions),
        guard,
      );
    // The SDK tells streaming tools by the value `execute` returns, before awaiting it: an async
    // generator must stay one, so its results stream through the guard rather than arrive as one value.
    out[name] = {
      ...tool,
      execute: isAsyncGeneratorFunction(execute)
        ? async function* (input: unknown, executeOptions: { toolCallId?: string } | undefined) {
            yield* (await guarded(input, executeOptions)) as AsyncIterable<unknown>;
          }
        : guarded,
    };
  }
  return out as T;
}

function isAsyncGeneratorFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "AsyncGeneratorFunction";
}
