import { type GuardOptions, GuardRefusal, guardCall } from "./guard-call.js";
import type { LedgerSink } from "./open-ledger.js";

export interface GuardFunctionToolOptions extends GuardOptions {
  /** Where records go: a ledger from `openLedger`, or any sink with `append`. */
  readonly ledger: LedgerSink;
}

/** The part of an OpenAI Agents SDK function tool (`tool({...})` from `@openai/agents`) the guard touches. */
interface FunctionToolLike {
  readonly type: "function";
  readonly name: string;
  invoke(runContext: never, input: string, details?: never): Promise<unknown>;
  errorFunction?: ((runContext: never, error: never, details?: never) => unknown) | null;
}

/** What the SDK passes `invoke` besides the input; only the model's call id matters here. */
type CallDetails = { readonly toolCall?: { readonly callId?: string } } | undefined;

function parsedArguments(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/**
 * Guards one OpenAI Agents SDK function tool: its `invoke` becomes a recorded call keyed by the
 * tool's name and the model's `callId`. A refusal reaches the model the way the SDK reports any tool
 * failure: through the tool's `errorFunction`, else as the SDK's default "An error occurred while
 * running the tool" text with the refusal as the error. The SDK turns errors thrown inside `execute`
 * into such text itself, so a failing tool is recorded with outcome `ok` and the hash of that text.
 */
export function guardFunctionTool<T extends FunctionToolLike>(tool: T, options: GuardFunctionToolOptions): T {
  const { ledger, ...guard } = options;
  const invoke = async (runContext: unknown, input: string, details?: CallDetails) => {
    try {
      return await guardCall(
        ledger,
        {
          toolName: tool.name,
          ...(details?.toolCall?.callId ? { callId: details.toolCall.callId } : {}),
          arguments: parsedArguments(input),
        },
        () => tool.invoke(runContext as never, input, details as never),
        guard,
      );
    } catch (error) {
      if (!(error instanceof GuardRefusal)) throw error;
      if (tool.errorFunction)
        return tool.errorFunction(runContext as never, error as never, details as never);
      return `An error occurred while running the tool. Please try again. Error: ${error.toString()}`;
    }
  };
  return { ...tool, invoke };
}

/** Guards every function tool in an Agents SDK tool list; other tools (hosted, computer…) pass through. */
export function guardAgentTools<T extends { readonly type: string }>(
  tools: readonly T[],
  options: GuardFunctionToolOptions,
): T[] {
  return tools.map((t) =>
    t.type === "function"
      ? (guardFunctionTool(t as unknown as FunctionToolLike, options) as unknown as T)
      : t,
  );
}
