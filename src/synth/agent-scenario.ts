import fc from "fast-check";
import type { Scenario, ScriptedToolCall, Turn } from "../model/scenario.js";
import { type ScenarioTool, SUPPORT_AGENT_TOOLS } from "./agent-scenario-tools.js";

export interface ScenarioArbOptions {
  /** The agent's tools; default: the reference support agent's three. */
  readonly tools?: readonly ScenarioTool[];
  /** The user's message; default: support requests with personal data. */
  readonly input?: fc.Arbitrary<string>;
  /** Model turns that request tools, at least 1; default 4. */
  readonly maxToolTurns?: number;
  /** Tool calls per such turn, at least 1; default 2. */
  readonly maxCallsPerTurn?: number;
  /** Whether a scripted API error (429 or 500) may come before one of the turns; default true. */
  readonly apiErrors?: boolean;
}

const INPUTS = [
  "Hi, I'd like a refund for order A-1001 - the headphones arrived broken. My email is jane.doe@example.com.",
  "Order A-1002 never arrived. Refund the full 500 USD to my card 4111 1111 1111 1111, please. - li.wei@mail.example.org",
  "Where is my order A-1O01? Call me on +44 20 7946 0958.",
  "Please refund 250 USD for order B-2077 and email o.connor@corp.example.net.",
];
const FINAL_TEXTS = [
  "I've taken care of your request and emailed you a confirmation.",
  "I can't issue that refund myself: refunds above 100 USD need a supervisor's approval. I've escalated it.",
  "I couldn't find that order. Could you check the order number?",
];
const API_ERRORS = {
  500: "The server had an error while processing your request.",
  429: "Rate limit reached for gpt-4o. Please try again in 20ms.",
} as const;

interface Shape {
  readonly input: string;
  readonly calls: readonly (readonly { name: string; arguments: Record<string, unknown> }[])[];
  readonly error: { readonly before: number; readonly status: 429 | 500 } | undefined;
  readonly text: string;
}

function toScenario(shape: Shape): Scenario {
  const turns: Turn[] = shape.calls.map((calls, t) => ({
    toolCalls: calls.map(
      (c, i): ScriptedToolCall => ({
        id: `call_${c.name}_${t + 1}_${i + 1}`,
        name: c.name,
        arguments: c.arguments,
      }),
    ),
  }));
  turns.push({ text: shape.text });
  const e = shape.error;
  const before = e ? Math.min(e.before, turns.length - 1) : 0;
  // The client retries a failed call: the turn after the error is what it gets on the retry.
  if (e)
    turns.splice(before, 0, { error: { status: e.status, message: API_ERRORS[e.status], retryAfterMs: 0 } });
  const requested = shape.calls.reduce((n, c) => n + c.length, 0);
  return {
    name: "synthetic",
    description:
      `${shape.calls.length} model turn(s) requesting ${requested} tool call(s), then a text answer` +
      (e ? `; a ${e.status} from the model API before model call ${before + 1}, then a retry` : ""),
    input: shape.input,
    turns,
  };
}

/**
 * Replay scenarios for an agent with the given tools: 1 to `maxToolTurns` scripted model turns, each
 * asking for 1 to `maxCallsPerTurn` tool calls with ids, maybe one API error (429 or 500) that the
 * client retries, and a final text turn. Shrinks to one turn with one call and no error. With no tools,
 * the final text turn alone, maybe after an API error.
 */
export function scenarioArb(options: ScenarioArbOptions = {}): fc.Arbitrary<Scenario> {
  const tools = options.tools ?? SUPPORT_AGENT_TOOLS;
  const maxToolTurns = Math.max(1, options.maxToolTurns ?? 4);
  const call =
    tools.length > 0
      ? fc.oneof(
          { withCrossShrink: true },
          ...tools.map((t) => t.arguments.map((args) => ({ name: t.name, arguments: args }))),
        )
      : undefined;
  const error = fc.record({
    before: fc.integer({ min: 0, max: maxToolTurns }),
    status: fc.constantFrom(500 as const, 429 as const),
  });
  return fc
    .record({
      input: options.input ?? fc.constantFrom(...INPUTS),
      // Without tools, the model only answers: the scenarios still vary the input and the API errors.
      calls: call
        ? fc.array(fc.array(call, { minLength: 1, maxLength: Math.max(1, options.maxCallsPerTurn ?? 2) }), {
            minLength: 1,
            maxLength: maxToolTurns,
          })
        : fc.constant([]),
      error:
        options.apiErrors === false
          ? fc.constant(undefined)
          : fc.oneof(
              { withCrossShrink: true },
              { arbitrary: fc.constant(undefined), weight: 2 },
              { arbitrary: error, weight: 1 },
            ),
      text: fc.constantFrom(...FINAL_TEXTS),
    })
    .map(toScenario);
}
