import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isErrorTurn, isToolCallsTurn, type Scenario } from "../model/scenario.js";
import { chatChunks, chatCompletion, chatSse, type Reply, type ReplyMeta } from "./chat-wire.js";
import type { ModelApi, ModelExchange, ServedResponse, ServedToolCall } from "./exchange.js";
import { BodyError, closeServer, listen, readBody, sendJson } from "./http-server.js";
import { estimateTokens, requestProblem, toolResultsOf } from "./model-request.js";
import { responsesEvents, responsesResponse, responsesSse } from "./responses-wire.js";

export interface MockModelOptions {
  readonly scenario: Scenario;
  /** Loopback only; the default is 127.0.0.1. */
  readonly host?: string;
  /** Largest request body accepted (default 16 MiB). */
  readonly maxBodyBytes?: number;
  /** Served as `created` (unix seconds), so recorded answers are reproducible. Default: now. */
  readonly created?: number;
}

/** A running mock model endpoint. */
export interface MockModel {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `<url>/v1`, for `OPENAI_BASE_URL`. */
  readonly baseURL: string;
  /** Every request so far, in arrival order. */
  exchanges(): readonly ModelExchange[];
  /** Turns served so far. */
  turnsServed(): number;
  close(): Promise<void>;
}

const ROUTES: Record<string, ModelApi> = {
  "/v1/chat/completions": "chat",
  "/v1/responses": "responses",
};

function errorBody(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

/**
 * An OpenAI-compatible endpoint that answers `POST /v1/chat/completions` and `POST /v1/responses`,
 * plain or streaming, with the scenario's turns in order, and records every exchange. A request
 * past the last turn is answered 500 and recorded as an `overrun`.
 */
export async function startMockModel(options: MockModelOptions): Promise<MockModel> {
  const { scenario } = options;
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const exchanges: ModelExchange[] = [];
  let nextTurn = 0;

  const record = (api: ModelApi, body: unknown, turn: number | undefined, response: ServedResponse) => {
    const request = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    // Only what a turn answered is kept whole: past the script, or unreadable, an agent may go on
    // sending for its whole timeout, and keeping each body (up to the limit) grows without end.
    const answered = turn !== undefined;
    const model = typeof request.model === "string" ? request.model : undefined;
    const exchange: ModelExchange = {
      index: exchanges.length,
      api,
      stream: request.stream === true,
      model: answered ? model : model?.slice(0, 200),
      turn,
      request: answered ? body : undefined,
      toolResults: answered ? toolResultsOf(api, request) : [],
      response,
    };
    exchanges.push(exchange);
    return exchange;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const api = ROUTES[path];
    if (req.method === "GET" && path === "/v1/models") {
      sendJson(res, 200, {
        object: "list",
        data: [{ id: "mock-model", object: "model", owned_by: "trailcheck" }],
      });
      return;
    }
    if (!api) {
      sendJson(res, 404, errorBody(`no route for ${req.method} ${path}`, "invalid_request_error", null));
      return;
    }
    if (req.method !== "POST") {
      sendJson(res, 405, errorBody(`use POST for ${path}`, "invalid_request_error", null));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, limit)).toString("utf8"));
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      const message =
        err instanceof BodyError ? err.message : `the body is not JSON: ${(err as Error).message}`;
      record(api, undefined, undefined, { kind: "bad-request", status: 400, message });
      sendJson(res, status, errorBody(message, "invalid_request_error", null));
      return;
    }
    const problem = requestProblem(api, body);
    if (problem) {
      record(api, body, undefined, { kind: "bad-request", status: 400, message: problem });
      sendJson(res, 400, errorBody(problem, "invalid_request_error", null));
      return;
    }
    const request = body as Record<string, unknown>;
    const turnIndex = nextTurn;
    const turn = scenario.turns[turnIndex];
    if (!turn) {
      const message =
        `trailcheck mock model: call ${exchanges.length + 1} but scenario '${scenario.name}' scripts only ` +
        `${scenario.turns.length} turn(s)`;
      record(api, body, undefined, { kind: "overrun", status: 500, message });
      sendJson(res, 500, errorBody(message, "server_error", "scenario_overrun"));
      return;
    }
    nextTurn += 1;
    if (isErrorTurn(turn)) {
      const { status, message, retryAfterMs } = turn.error;
      record(api, body, turnIndex, { kind: "error", status, message });
      const [type, code] =
        status === 429 ? ["requests", "rate_limit_exceeded"] : ["server_error", "internal_server_error"];
      sendJson(res, status, errorBody(message, type, code), {
        "retry-after-ms": String(retryAfterMs),
      });
      return;
    }
    const toolCalls: ServedToolCall[] = isToolCallsTurn(turn)
      ? turn.toolCalls.map((c, i) => ({
          id: c.id ?? `call_${turnIndex + 1}_${i + 1}`,
          name: c.name,
          arguments: c.arguments,
        }))
      : [];
    const reply: Reply = { text: turn.text, toolCalls };
    record(
      api,
      body,
      turnIndex,
      toolCalls.length > 0
        ? { kind: "tool-calls", toolCalls, ...(turn.text !== undefined ? { text: turn.text } : {}) }
        : { kind: "text", text: turn.text ?? "" },
    );
    const meta: ReplyMeta = {
      id: `mock${String(turnIndex + 1).padStart(4, "0")}`,
      model: typeof request.model === "string" ? request.model : "mock-model",
      created: options.created ?? Math.floor(Date.now() / 1000),
      inputTokens: estimateTokens(api === "chat" ? request.messages : request.input),
      outputTokens: estimateTokens({ text: reply.text, toolCalls }),
    };
    if (request.stream !== true) {
      sendJson(res, 200, api === "chat" ? chatCompletion(reply, meta) : responsesResponse(reply, meta));
      return;
    }
    const includeUsage =
      typeof request.stream_options === "object" &&
      request.stream_options !== null &&
      (request.stream_options as Record<string, unknown>).include_usage === true;
    const sse =
      api === "chat"
        ? chatSse(chatChunks(reply, meta, includeUsage))
        : responsesSse(responsesEvents(reply, meta));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(sse);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(String(err), "server_error", null));
      else res.destroy();
    });
  });
  const url = await listen(server, options.host);
  return {
    url,
    baseURL: `${url}/v1`,
    exchanges: () => exchanges,
    turnsServed: () => nextTurn,
    close: () => closeServer(server),
  };
}
