import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../model/scenario.js";
import { type MockModel, startMockModel } from "./mock-model.js";

const scenario: Scenario = {
  name: "lookup",
  input: "Where is order A-1001?",
  turns: [
    { toolCalls: [{ id: "call_1", name: "lookup_order", arguments: { orderId: "A-1001" } }] },
    { text: "Your order A-1001 was delivered." },
  ],
};

const tools = [
  {
    type: "function" as const,
    function: {
      name: "lookup_order",
      parameters: { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] },
    },
  },
];

async function withMock<T>(s: Scenario, run: (mock: MockModel, client: OpenAI) => Promise<T>): Promise<T> {
  const mock = await startMockModel({ scenario: s, created: 1_768_000_000 });
  try {
    const client = new OpenAI({ baseURL: mock.baseURL, apiKey: "sk-trailcheck-dummy", maxRetries: 0 });
    return await run(mock, client);
  } finally {
    await mock.close();
  }
}

describe("mock model: Chat Completions", () => {
  it("answers plain requests with the scripted tool call, then the text, and records the tool result", async () => {
    await withMock(scenario, async (mock, client) => {
      const first = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: scenario.input }],
        tools,
      });
      const call = first.choices[0]!.message.tool_calls![0]!;
      expect(first.choices[0]!.finish_reason).toBe("tool_calls");
      expect(call).toMatchObject({ id: "call_1", type: "function" });
      expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ orderId: "A-1001" });
      const second = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [
          { role: "user", content: scenario.input },
          first.choices[0]!.message,
          { role: "tool", tool_call_id: "call_1", content: '{"status":"delivered"}' },
        ],
      });
      expect(second.choices[0]!.message.content).toBe("Your order A-1001 was delivered.");
      expect(second.usage!.total_tokens).toBeGreaterThan(0);
      const ex = mock.exchanges();
      expect(ex.map((e) => [e.api, e.stream, e.turn, e.response.kind])).toEqual([
        ["chat", false, 0, "tool-calls"],
        ["chat", false, 1, "text"],
      ]);
      expect(ex[1]!.toolResults).toEqual([{ callId: "call_1", output: '{"status":"delivered"}' }]);
    });
  });

  it("streams chunks the official client accumulates into the same tool call and text", async () => {
    await withMock(scenario, async (mock, client) => {
      const stream = client.chat.completions.stream({
        model: "gpt-4o",
        messages: [{ role: "user", content: scenario.input }],
        tools,
        stream_options: { include_usage: true },
      });
      const first = await stream.finalChatCompletion();
      const call = first.choices[0]!.message.tool_calls![0]!;
      expect(call.id).toBe("call_1");
      expect(call.type === "function" && call.function).toMatchObject({
        name: "lookup_order",
        arguments: '{"orderId":"A-1001"}',
      });
      expect(first.usage?.total_tokens).toBeGreaterThan(0);
      const second = client.chat.completions.stream({
        model: "gpt-4o",
        messages: [{ role: "user", content: scenario.input }],
      });
      let text = "";
      second.on("content", (delta) => {
        text += delta;
      });
      const done = await second.finalChatCompletion();
      expect(text).toBe("Your order A-1001 was delivered.");
      expect(done.choices[0]!.finish_reason).toBe("stop");
      expect(mock.exchanges().every((e) => e.stream)).toBe(true);
    });
  });
});

describe("mock model: Responses", () => {
  const responseTools = [
    {
      type: "function" as const,
      name: "lookup_order",
      strict: false,
      parameters: { type: "object", properties: { orderId: { type: "string" } } },
    },
  ];

  it("answers plain requests with function_call items and output_text", async () => {
    await withMock(scenario, async (mock, client) => {
      const first = await client.responses.create({
        model: "gpt-4o",
        input: scenario.input,
        tools: responseTools,
      });
      expect(first.output[0]).toMatchObject({
        type: "function_call",
        call_id: "call_1",
        name: "lookup_order",
        arguments: '{"orderId":"A-1001"}',
      });
      const second = await client.responses.create({
        model: "gpt-4o",
        input: [
          { role: "user", content: scenario.input },
          {
            type: "function_call",
            call_id: "call_1",
            name: "lookup_order",
            arguments: '{"orderId":"A-1001"}',
          },
          { type: "function_call_output", call_id: "call_1", output: '{"status":"delivered"}' },
        ],
      });
      expect(second.output_text).toBe("Your order A-1001 was delivered.");
      expect(mock.exchanges()[1]!.toolResults).toEqual([
        { callId: "call_1", output: '{"status":"delivered"}' },
      ]);
    });
  });

  it("streams events the official ResponseStream accumulates", async () => {
    await withMock(scenario, async (mock, client) => {
      const stream = client.responses.stream({
        model: "gpt-4o",
        input: scenario.input,
        tools: responseTools,
      });
      let args = "";
      stream.on("response.function_call_arguments.delta", (e) => {
        args += e.delta;
      });
      const first = await stream.finalResponse();
      expect(args).toBe('{"orderId":"A-1001"}');
      expect(first.output[0]).toMatchObject({
        type: "function_call",
        call_id: "call_1",
        status: "completed",
      });
      expect(first.usage?.total_tokens).toBeGreaterThan(0);
      const second = client.responses.stream({ model: "gpt-4o", input: "and now?" });
      let text = "";
      second.on("response.output_text.delta", (e) => {
        text += e.delta;
      });
      const done = await second.finalResponse();
      expect(text).toBe("Your order A-1001 was delivered.");
      expect(done.output_text).toBe("Your order A-1001 was delivered.");
      expect(mock.exchanges().map((e) => [e.api, e.stream])).toEqual([
        ["responses", true],
        ["responses", true],
      ]);
    });
  });
});

describe("mock model: errors and overruns", () => {
  it("serves a scripted 429 with an OpenAI error body, then the next turn", async () => {
    const s: Scenario = {
      name: "rate-limited",
      input: "hi",
      turns: [{ error: { status: 429, message: "Rate limit reached", retryAfterMs: 0 } }, { text: "hello" }],
    };
    await withMock(s, async (mock, client) => {
      const err = await client.chat.completions
        .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as InstanceType<typeof OpenAI.APIError>).message).toContain("Rate limit reached");
      const ok = await client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(ok.choices[0]!.message.content).toBe("hello");
      expect(mock.exchanges().map((e) => e.response.kind)).toEqual(["error", "text"]);
    });
  });

  it("answers a call past the script with 500 and records an overrun", async () => {
    await withMock({ name: "one", input: "hi", turns: [{ text: "hello" }] }, async (mock, client) => {
      await client.responses.create({ model: "gpt-4o", input: "hi" });
      const err = await client.responses.create({ model: "gpt-4o", input: "again" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.InternalServerError);
      const last = mock.exchanges().at(-1)!;
      expect(last.response.kind).toBe("overrun");
      expect(last.turn).toBeUndefined();
    });
  });

  // An agent that goes on calling past its script may do so for its whole timeout: what a turn did not
  // answer is not kept (measured: forty 15 MiB requests held 0.9 GB before).
  it("keeps neither the body nor the tool results of a request no turn answered", async () => {
    await withMock({ name: "one", input: "hi", turns: [{ text: "hello" }] }, async (mock) => {
      const post = (content: string) =>
        fetch(`${mock.baseURL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "m".repeat(1000),
            messages: [
              { role: "user", content },
              { role: "tool", tool_call_id: "call_1", content: "x".repeat(100_000) },
            ],
          }),
        });
      expect((await post("first")).status).toBe(200);
      expect((await post("again")).status).toBe(500);
      const [served, overrun] = mock.exchanges();
      expect(served!.request).toBeDefined();
      expect(served!.toolResults).toHaveLength(1);
      expect(overrun!.response.kind).toBe("overrun");
      expect(overrun!.request).toBeUndefined();
      expect(overrun!.toolResults).toEqual([]);
      expect(overrun!.model).toHaveLength(200);
    });
  });

  it("answers a body that is not JSON with 400 without consuming a turn", async () => {
    await withMock(scenario, async (mock) => {
      const res = await fetch(`${mock.baseURL}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not JSON/);
      expect(mock.turnsServed()).toBe(0);
      expect(mock.exchanges()[0]!.response.kind).toBe("bad-request");
    });
  });
});
