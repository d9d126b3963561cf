import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readRuns } from "../ingest/index.js";
import type { Action } from "../model/action.js";
import { deriveActions } from "./index.js";

const DIR = fileURLToPath(new URL("../../examples/traces/", import.meta.url));

/** Actions per kind for each run of each example file (record-less ones as `<kind>?`), in run order. */
const EXPECTED: Record<string, Record<string, number>[]> = {
  "ai-sdk-v6.otlp.json": [{ agent: 1, llm: 4, tool: 3, policy: 1 }],
  "ai-sdk-v5.otlp.json": [{ agent: 1, llm: 4, tool: 3, policy: 1 }],
  // Two generateText calls (tool approval round-trip); the denied refund is accounted by the policy.
  "ai-sdk-v6-denied.otlp.json": [{ agent: 2, llm: 4, tool: 2, policy: 1 }],
  // recordOutputs: false — the steps' tool calls are gone, so nothing is requested.
  "ai-sdk-v6-no-outputs.otlp.json": [{ agent: 1, llm: 4, tool: 3, policy: 1 }],
  "genai-semconv.otlp.json": [{ agent: 1, llm: 4, tool: 3, policy: 1 }],
  "genai-semconv-denied.otlp.json": [{ agent: 1, llm: 4, tool: 2, policy: 1 }],
  "openinference.otlp.json": [{ agent: 1, llm: 4, tool: 3, policy: 1 }],
  "openinference-denied.otlp.json": [{ agent: 1, llm: 4, tool: 2, policy: 1 }],
  // A custom Model makes no generation/response spans: each turn with usage is an LLM call without a record.
  "openai-agents.json": [{ agent: 2, "llm?": 5, tool: 3, policy: 2, handoff: 1 }],
  "collector-file-export.jsonl": [
    { agent: 1, llm: 4, tool: 3, policy: 1 },
    { agent: 2, llm: 4, tool: 2, policy: 1 },
  ],
};

function counts(actions: readonly Action[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of actions) {
    const key = a.hasRecord ? a.kind : `${a.kind}?`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.(json|jsonl)$/.test(f)) : [];

describe("example traces from real instrumentation", () => {
  it("finds every recorded example", () => {
    expect(files).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });

  it.each(files)("%s maps to the expected actions", async (file) => {
    const runs = await readRuns(`${DIR}${file}`);
    const got = runs.map((run) => counts(deriveActions(run.records)));
    const expected = EXPECTED[file];
    if (expected) expect(got).toEqual(expected);
    else expect(got.length).toBeGreaterThan(0); // a new example: mapped without error
  });

  it.each(files.filter((f) => f.includes("denied")))(
    "%s: the denied call is accounted by the policy",
    async (file) => {
      for (const run of await readRuns(`${DIR}${file}`)) {
        const actions = deriveActions(run.records);
        expect(actions.filter((a) => a.kind === "policy" && a.blocks)).toHaveLength(1);
        expect(actions.filter((a) => !a.hasRecord)).toEqual([]);
      }
    },
  );
});
