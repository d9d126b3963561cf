// guardFunctionTool against the real OpenAI Agents SDK, with a scripted custom Model (no server).
import {
  Agent,
  type Model,
  type ModelResponse,
  Runner,
  setTracingDisabled,
  tool,
  Usage,
} from "@openai/agents";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { resultSha256 } from "./digest.js";
import { openLedger } from "./open-ledger.js";
import { guardAgentTools, guardFunctionTool } from "./openai-agents.js";
import { readLedger } from "./read-ledger.js";

cleanupAfterEach();
setTracingDisabled(true);

type Out = ModelResponse["output"][number];

/** Asks for one refund, then answers with whatever the tool sent back. */
class ScriptedModel implements Model {
  private turn = 0;
  readonly seenToolOutputs: string[] = [];
  async getResponse(request: Parameters<Model["getResponse"]>[0]): Promise<ModelResponse> {
    this.turn += 1;
    const items = Array.isArray(request.input) ? request.input : [];
    for (const item of items) {
      if (item.type === "function_call_result") this.seenToolOutputs.push(JSON.stringify(item.output));
    }
    const output: Out[] =
      this.turn === 1
        ? [
            {
              type: "function_call",
              id: "fc_1",
              callId: "call_refund_1",
              name: "refund_payment",
              arguments: JSON.stringify({ orderId: "A-1001", amount: 40 }),
              status: "completed",
            },
          ]
        : [
            {
              type: "message",
              id: "msg_1",
              role: "assistant",
              status: "completed",
              content: [{ type: "output_text", text: "done" }],
            },
          ];
    return {
      output,
      usage: new Usage({ requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 }),
      responseId: `r${this.turn}`,
    };
  }
  // biome-ignore lint/correctness/useYield: the script is not streamed
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("not scripted");
  }
}

function refundTool(execute = vi.fn(async () => ({ refundId: "R-5001" }))) {
  return {
    execute,
    tool: tool({
      name: "refund_payment",
      description: "Refund an order.",
      parameters: z.object({ orderId: z.string(), amount: z.number() }),
      execute,
    }),
  };
}

async function run(tools: Agent["tools"]) {
  const model = new ScriptedModel();
  const agent = new Agent({ name: "support-agent", instructions: "help", model, tools });
  const result = await new Runner().run(agent, "refund A-1001");
  return { result, model };
}

describe("guardFunctionTool", () => {
  it("records the call under the model's call id before the tool runs", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir });
    const refund = refundTool();
    const { result } = await run([guardFunctionTool(refund.tool, { ledger })]);
    await ledger.close();
    expect(result.finalOutput).toBe("done");
    expect(refund.execute).toHaveBeenCalledOnce();
    expect((await readLedger(dir)).records).toEqual([
      {
        type: "tool-call.start",
        toolName: "refund_payment",
        callId: "call_refund_1",
        arguments: { orderId: "A-1001", amount: 40 },
        at: expect.any(String),
      },
      {
        type: "tool-call.end",
        toolName: "refund_payment",
        callId: "call_refund_1",
        outcome: "ok",
        resultSha256: resultSha256({ refundId: "R-5001" }),
        at: expect.any(String),
      },
    ]);
  });

  it("block: a closed ledger keeps the tool from running and the model is told why", async () => {
    const ledger = await openLedger({ dir: await tempDir() });
    await ledger.close();
    const refund = refundTool();
    const [guarded] = guardAgentTools([refund.tool], { ledger });
    const { result, model } = await run([guarded!]);
    expect(result.finalOutput).toBe("done");
    expect(refund.execute).not.toHaveBeenCalled();
    expect(model.seenToolOutputs.join()).toMatch(
      /An error occurred while running the tool\. Please try again\. Error: GuardRefusal: refund_payment was not run/,
    );
  });
});
