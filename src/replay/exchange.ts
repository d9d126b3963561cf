/** Which OpenAI API a request used. */
export type ModelApi = "chat" | "responses";

/** A tool call as the mock model asked for it. */
export interface ServedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** A tool result the agent fed back to the model, as found in a request. */
export interface FedToolResult {
  readonly callId: string;
  /** The output as the request carried it (text; content parts joined). */
  readonly output: string;
}

/** What the mock answered. */
export type ServedResponse =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "tool-calls"; readonly text?: string; readonly toolCalls: readonly ServedToolCall[] }
  | { readonly kind: "error"; readonly status: 429 | 500; readonly message: string }
  /** A call beyond the scripted turns: answered 500, and the agent's failure. */
  | { readonly kind: "overrun"; readonly status: 500; readonly message: string }
  /** A request the mock could not read (not JSON, no messages): answered 400. */
  | { readonly kind: "bad-request"; readonly status: 400; readonly message: string };

/** One model call: the request the agent sent and what the mock answered, in arrival order. */
export interface ModelExchange {
  /** 0-based position among all requests to the mock. */
  readonly index: number;
  readonly api: ModelApi;
  readonly stream: boolean;
  /** The `model` the request named. */
  readonly model: string | undefined;
  /** The scripted turn served (index into `scenario.turns`); absent for overruns and bad requests. */
  readonly turn: number | undefined;
  /** The request body as sent; undefined for one no turn answered (an overrun, a bad request). */
  readonly request: unknown;
  /**
   * Every tool result the request carried (a request repeats the results of earlier steps); none for a
   * request no turn answered.
   */
  readonly toolResults: readonly FedToolResult[];
  readonly response: ServedResponse;
}
