import { describe, expect, it } from "vitest";
import { type Action, FACTS_BY_KIND } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { sid, span, TRACE_ID, without } from "../testing/records.js";
import { FIXTURE_RUNS } from "../testing/runs.js";
import { FIELD_SOURCES } from "./_internals/draft.js";
import { deriveActions, uncarriedFacts } from "./index.js";

const FIELD_KEYS = new Set<string>(Object.values(FIELD_SOURCES));

function countKinds(actions: readonly Action[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of actions) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
}

describe.each(FIXTURE_RUNS.map((make) => [make().convention, make] as const))(
  "%s: a fully recorded run",
  (_, make) => {
    const run = make();
    const actions = deriveActions(run.records);

    it("yields the expected actions, all with records and none failed", () => {
      expect(countKinds(actions)).toEqual(run.counts);
      for (const a of actions) {
        expect(a.hasRecord).toBe(true);
        expect(a.failed).toBe(false);
        expect(a.convention).toBe(run.convention);
        expect(a.traceId).toBe(TRACE_ID);
      }
    });

    it("has every required fact, except those the convention cannot carry", () => {
      const byId = new Map(run.records.map((r) => [r.spanId, r]));
      for (const a of actions) {
        const skip = new Set(uncarriedFacts(a.convention, a.kind, byId.get(a.id)));
        const missing = FACTS_BY_KIND[a.kind].filter((f) => !skip.has(f) && a.facts[f] === undefined);
        expect(missing, `${a.kind} ${a.name}`).toEqual([]);
        for (const fact of Object.keys(a.facts))
          expect(a.sources[fact as keyof typeof a.sources]).toBeDefined();
      }
    });

    it("accounts for every requested tool call with the executed tool span", () => {
      const llm = actions.filter((a) => a.kind === "llm");
      expect(llm.flatMap((a) => a.requestedToolCalls).map((c) => c.name)).toEqual(["get_weather"]);
      const tool = actions.find((a) => a.kind === "tool")!;
      expect(tool.requestedBy).toBe(llm[0]!.id);
    });

    it("makes every dropped fact attribute visible on its action", () => {
      for (const a of actions) {
        for (const [fact, key] of Object.entries(a.sources)) {
          if (FIELD_KEYS.has(key)) continue;
          const records = run.records.map((r) => (r.spanId === a.id ? without(r, key) : r));
          const after = deriveActions(records).find((b) => b.id === a.id)!;
          const f = fact as keyof Action["facts"];
          // Visible: gone or changed; or still known from another carrier (the span name, another
          // key of a flattened list), which the source then names.
          const visible =
            after.facts[f] === undefined || after.facts[f] !== a.facts[f] || after.sources[f] !== key;
          expect(visible, `${a.kind} ${a.name}: dropping ${key} hides no loss of ${fact}`).toBe(true);
        }
      }
    });

    it("orders actions by start time then id, whatever the input order", () => {
      const reversed = deriveActions([...run.records].reverse());
      expect(reversed).toEqual(actions);
      const ids = actions.filter((a) => a.hasRecord).map((a) => a.id);
      expect(ids).toEqual([...ids].sort());
    });

    it("does not modify its input", () => {
      const copy = structuredClone(run.records);
      deriveActions(run.records);
      expect(run.records).toEqual(copy);
    });
  },
);

describe("parent links", () => {
  it("links to a parent in the run, marks roots, and leaves orphans without a parent", () => {
    const records: SpanRecord[] = [
      span({ id: 1, attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a" } }),
      span({
        id: 2,
        parent: 1,
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m" },
      }),
      span({
        id: 3,
        parent: 99,
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m" },
      }),
    ];
    const [root, child, orphan] = deriveActions(records);
    expect(root!.facts.parent).toBe("root");
    expect(child!.facts.parent).toBe(sid(1));
    expect(child!.sources.parent).toBe("parentSpanId");
    expect(orphan!.facts.parent).toBeUndefined();
    expect(orphan!.parentSpanId).toBe(sid(99));
  });

  it("orphans the children of a dropped parent", () => {
    const records = FIXTURE_RUNS[0]!().records.filter((r) => r.spanId !== sid(1));
    const actions = deriveActions(records);
    expect(actions.every((a) => a.facts.parent === undefined)).toBe(true);
  });

  it("links through `other` records, which are not actions", () => {
    const run = FIXTURE_RUNS[2]!(); // OpenInference: CHAIN > AGENT
    const actions = deriveActions(run.records);
    expect(actions.some((a) => a.id === sid(1))).toBe(false);
    expect(actions.find((a) => a.kind === "agent")!.facts.parent).toBe(sid(1));
  });
});

describe("failures", () => {
  it("fails on status error, on error.type and on an exception event, with the error fact", () => {
    const records = [
      span({
        id: 1,
        status: { code: "error", message: "boom" },
        attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" },
      }),
      span({
        id: 2,
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "t",
          "error.type": "Timeout",
        },
      }),
      span({
        id: 3,
        status: { code: "error" },
        events: [{ name: "exception", time: "1", attributes: { "exception.type": "TypeError" } }],
        attributes: { "ai.operationId": "ai.toolCall", "ai.toolCall.name": "t" },
      }),
      span({ id: 4, attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" } }),
    ];
    const actions = deriveActions(records);
    expect(actions.map((a) => [a.failed, a.facts.status, a.facts.error])).toEqual([
      [true, "error", "boom"],
      [true, "error", "Timeout"],
      [true, "error", "TypeError"],
      [false, "unset", undefined],
    ]);
    expect(actions[1]!.sources.error).toBe("error.type");
  });
});
