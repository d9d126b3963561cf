import type { ActionKind } from "../model/action.js";
import type { Convention, SpanRecord } from "../model/record.js";
import { span } from "./records.js";

/**
 * A fully recorded run per convention, for tests: an agent whose model asks for `get_weather`,
 * the tool runs, a policy (where the convention has one) decides, and the model answers.
 */
export interface FixtureRun {
  readonly convention: Convention;
  readonly records: SpanRecord[];
  /** Actions expected per kind. */
  readonly counts: Partial<Record<ActionKind, number>>;
}

const ARGS = '{"city":"Paris"}';
const RESULT = '{"temperature":21}';
const USER = '[{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}]';
const ANSWER = '[{"role":"assistant","parts":[{"type":"text","content":"21 degrees."}]}]';
const ASK_TOOL = JSON.stringify([
  {
    role: "assistant",
    parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
  },
]);

/** GenAI semantic-convention spans by their part in a run, so a hand-made run reads as its story. */
export const genAi = {
  agent: (id: number, agent: string, input: string, output: string): SpanRecord =>
    span({
      id,
      name: `invoke_agent ${agent}`,
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": agent,
        "gen_ai.input.messages": input,
        "gen_ai.output.messages": output,
      },
    }),
  chat: (id: number, parent: number, model: string, input: string, output: string): SpanRecord =>
    span({
      id,
      parent,
      name: `chat ${model}`,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "gen_ai.input.messages": input,
        "gen_ai.output.messages": output,
      },
    }),
  tool: (id: number, parent: number, call: { name: string; id: string; args: string; result: string }) =>
    span({
      id,
      parent,
      name: `execute_tool ${call.name}`,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call.name,
        "gen_ai.tool.call.id": call.id,
        "gen_ai.tool.call.arguments": call.args,
        "gen_ai.tool.call.result": call.result,
      },
    }),
};

export function genAiRun(): FixtureRun {
  const records = [
    genAi.agent(1, "weather", USER, ANSWER),
    genAi.chat(2, 1, "gpt-4o", USER, ASK_TOOL),
    genAi.tool(3, 1, { name: "get_weather", id: "call_1", args: ARGS, result: RESULT }),
    genAi.chat(4, 1, "gpt-4o", USER, ANSWER),
  ];
  return { convention: "genai", records, counts: { agent: 1, llm: 2, tool: 1 } };
}

export function aiSdkRun(): FixtureRun {
  const records = [
    span({
      id: 1,
      name: "ai.generateText",
      attributes: {
        "ai.operationId": "ai.generateText",
        "ai.telemetry.functionId": "weather",
        "ai.model.id": "gpt-4o",
        "ai.prompt": '{"prompt":"Weather in Paris?"}',
        "ai.response.text": "21 degrees.",
      },
    }),
    span({
      id: 2,
      parent: 1,
      name: "ai.generateText.doGenerate",
      attributes: {
        "ai.operationId": "ai.generateText.doGenerate",
        "ai.model.id": "gpt-4o",
        "ai.prompt.messages": '[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}]',
        "ai.response.toolCalls":
          '[{"toolCallId":"call_1","toolName":"get_weather","input":{"city":"Paris"}}]',
        "ai.response.finishReason": "tool-calls",
      },
    }),
    span({
      id: 3,
      parent: 1,
      name: "ai.toolCall",
      attributes: {
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "get_weather",
        "ai.toolCall.id": "call_1",
        "ai.toolCall.args": ARGS,
        "ai.toolCall.result": RESULT,
      },
    }),
    span({
      id: 4,
      parent: 1,
      name: "ai.generateText.doGenerate",
      attributes: {
        "ai.operationId": "ai.generateText.doGenerate",
        "ai.model.id": "gpt-4o",
        "ai.prompt.messages": '[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}]',
        "ai.response.text": "21 degrees.",
        "ai.response.finishReason": "stop",
      },
    }),
  ];
  return { convention: "ai-sdk", records, counts: { agent: 1, llm: 2, tool: 1 } };
}

export function openInferenceRun(): FixtureRun {
  const tc = "llm.output_messages.0.message.tool_calls.0.tool_call";
  const records = [
    span({
      id: 1,
      name: "handle_request",
      attributes: { "openinference.span.kind": "CHAIN", "input.value": "Weather in Paris?" },
    }),
    span({
      id: 2,
      parent: 1,
      name: "weather",
      attributes: {
        "openinference.span.kind": "AGENT",
        "agent.name": "weather",
        "input.value": "Weather in Paris?",
        "output.value": "21 degrees.",
      },
    }),
    span({
      id: 3,
      parent: 2,
      name: "OpenAI Chat Completions",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o",
        "input.value": '{"messages":[{"role":"user","content":"Weather in Paris?"}]}',
        "output.value": '{"choices":[{"message":{"role":"assistant"}}]}',
        "llm.output_messages.0.message.role": "assistant",
        [`${tc}.id`]: "call_1",
        [`${tc}.function.name`]: "get_weather",
        [`${tc}.function.arguments`]: '{"city": "Paris"}',
      },
    }),
    span({
      id: 4,
      parent: 2,
      name: "get_weather",
      attributes: {
        "openinference.span.kind": "TOOL",
        "tool.name": "get_weather",
        "tool_call.id": "call_1",
        "input.value": ARGS,
        "output.value": RESULT,
      },
    }),
    span({
      id: 5,
      parent: 4,
      name: "no-pii",
      attributes: { "openinference.span.kind": "GUARDRAIL", "output.value": '{"decision":"allow"}' },
    }),
    span({
      id: 6,
      parent: 2,
      name: "OpenAI Chat Completions",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o",
        "input.value": '{"messages":[{"role":"user","content":"Weather in Paris?"}]}',
        "output.value": '{"choices":[{"message":{"role":"assistant","content":"21 degrees."}}]}',
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "21 degrees.",
      },
    }),
  ];
  return { convention: "openinference", records, counts: { agent: 1, llm: 2, tool: 1, policy: 1 } };
}

/** Laid out as `src/ingest/openai-agents.ts` writes it: `span_data.<key>`, objects as JSON text. */
export function openAiAgentsRun(): FixtureRun {
  const completion = JSON.stringify([
    {
      id: "chatcmpl-1",
      choices: [
        {
          message: {
            role: "assistant",
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: ARGS } },
            ],
          },
        },
      ],
    },
  ]);
  const records = [
    span({
      id: 1,
      name: "task",
      attributes: {
        "span_data.type": "custom",
        "span_data.name": "task",
        "span_data.data.sdk_span_type": "task",
      },
    }),
    span({
      id: 2,
      parent: 1,
      name: "weather",
      attributes: { "span_data.type": "agent", "span_data.name": "weather" },
    }),
    span({
      id: 3,
      parent: 2,
      name: "turn",
      attributes: {
        "span_data.type": "custom",
        "span_data.name": "turn",
        "span_data.data.sdk_span_type": "turn",
        "span_data.data.agent_name": "weather",
        "span_data.data.usage": '{"input_tokens":12,"output_tokens":7}',
      },
    }),
    span({
      id: 4,
      parent: 3,
      name: "generation",
      attributes: {
        "span_data.type": "generation",
        "span_data.model": "gpt-4o",
        "span_data.input": '[{"role":"user","content":"Weather in Paris?"}]',
        "span_data.output": completion,
      },
    }),
    span({
      id: 5,
      parent: 3,
      name: "get_weather",
      attributes: {
        "span_data.type": "function",
        "span_data.name": "get_weather",
        // Same arguments, other spacing: matched after JSON normalisation.
        "span_data.input": '{ "city" : "Paris" }',
        "span_data.output": RESULT,
      },
    }),
    span({
      id: 6,
      parent: 2,
      name: "no-pii",
      attributes: { "span_data.type": "guardrail", "span_data.name": "no-pii", "span_data.triggered": false },
    }),
    span({
      id: 7,
      parent: 2,
      name: "handoff",
      attributes: {
        "span_data.type": "handoff",
        "span_data.from_agent": "weather",
        "span_data.to_agent": "travel",
      },
    }),
    span({
      id: 8,
      parent: 3,
      name: "generation",
      attributes: {
        "span_data.type": "generation",
        "span_data.model": "gpt-4o",
        "span_data.input": '[{"role":"user","content":"Weather in Paris?"}]',
        "span_data.output": '[{"choices":[{"message":{"role":"assistant","content":"21 degrees."}}]}]',
      },
    }),
  ];
  return {
    convention: "openai-agents",
    records,
    counts: { agent: 1, llm: 2, tool: 1, policy: 1, handoff: 1 },
  };
}

export function nativeRun(): FixtureRun {
  const records = [
    span({
      id: 1,
      name: "agent",
      attributes: {
        "trailcheck.kind": "agent",
        "gen_ai.agent.name": "weather",
        "gen_ai.input.messages": USER,
        "gen_ai.output.messages": ANSWER,
      },
    }),
    span({
      id: 2,
      parent: 1,
      name: "llm",
      attributes: {
        "trailcheck.kind": "llm",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": USER,
        "gen_ai.output.messages": ASK_TOOL,
      },
    }),
    span({
      id: 3,
      parent: 1,
      name: "tool",
      attributes: {
        "trailcheck.kind": "tool",
        "gen_ai.tool.name": "get_weather",
        "gen_ai.tool.call.id": "call_1",
        "gen_ai.tool.call.arguments": ARGS,
        "gen_ai.tool.call.result": RESULT,
      },
    }),
    span({
      id: 4,
      parent: 3,
      name: "policy",
      attributes: {
        "trailcheck.kind": "policy",
        "policy.name": "city-allow-list",
        "policy.decision": "allow",
        "policy.reason": "Paris is allowed",
        "policy.subject": "0000000000000003",
        "policy.tool_call.id": "call_1",
      },
    }),
    span({
      id: 5,
      parent: 1,
      name: "handoff",
      attributes: { "trailcheck.kind": "handoff", "handoff.from": "weather", "handoff.to": "travel" },
    }),
    span({
      id: 6,
      parent: 1,
      name: "llm",
      attributes: {
        "trailcheck.kind": "llm",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": USER,
        "gen_ai.output.messages": ANSWER,
      },
    }),
  ];
  return { convention: "native", records, counts: { agent: 1, llm: 2, tool: 1, policy: 1, handoff: 1 } };
}

export const FIXTURE_RUNS: readonly (() => FixtureRun)[] = [
  genAiRun,
  aiSdkRun,
  openInferenceRun,
  openAiAgentsRun,
  nativeRun,
];
