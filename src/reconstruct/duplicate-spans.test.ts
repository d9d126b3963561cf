import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { deriveActions } from "../conventions/index.js";
import { serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import type { Gap } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { sid } from "../testing/records.js";
import { genAi } from "../testing/runs.js";

const USER = '[{"role":"user","parts":[{"type":"text","content":"Refund order A-1"}]}]';
const DONE = '[{"role":"assistant","parts":[{"type":"text","content":"Refunded."}]}]';

/** An agent whose model asks for two tools; both run, and the second's tool span has a child. */
function run(): SpanRecord[] {
  const ask = JSON.stringify([
    {
      role: "assistant",
      parts: [
        { type: "tool_call", id: "call_1", name: "refund_payment", arguments: { order: "A-1" } },
        { type: "tool_call", id: "call_2", name: "notify_customer", arguments: { order: "A-1" } },
      ],
    },
  ]);
  const tool = (id: number, name: string, callId: string) =>
    genAi.tool(id, 1, { name, id: callId, args: '{"order":"A-1"}', result: '{"ok":true}' });
  return [
    genAi.agent(1, "support", USER, DONE),
    genAi.chat(2, 1, "gpt-4o", USER, ask),
    tool(3, "refund_payment", "call_1"),
    tool(4, "notify_customer", "call_2"),
    genAi.chat(5, 4, "gpt-4o-mini", USER, DONE),
  ];
}

/** The second tool span reuses the first one's span id (its child keeps pointing at that id). */
function sharingAnId(): SpanRecord[] {
  return run().map((r) =>
    r.spanId === sid(4) ? { ...r, spanId: sid(3) } : r.spanId === sid(5) ? { ...r, parentSpanId: sid(3) } : r,
  );
}

async function check(records: SpanRecord[]): Promise<{ exitCode: number; gaps: Gap[] }> {
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-duplicates-"));
  const trace = join(dir, "run.jsonl");
  const logging = join(dir, "logging.yaml");
  await writeFile(trace, serializeRecordsJsonl(records));
  await writeFile(logging, "streams: [{ name: all, match: { default: true } }]\n");
  const cli = await execa(
    "node",
    [...DEV_CLI, "check", "--trace", trace, "--logging", logging, "--format", "json"],
    { reject: false },
  );
  expect(cli.stderr).toBe("");
  const out = JSON.parse(cli.stdout) as { runs: { gaps: Gap[] }[] };
  return { exitCode: cli.exitCode ?? -1, gaps: out.runs.flatMap((r) => r.gaps) };
}

describe("two records with one span id", () => {
  it("the same record sent twice (an exporter's retry) is one span: nothing to report", async () => {
    const records = run();
    const retried = [...records, records[2]!, records[3]!];
    expect(deriveActions(retried)).toEqual(deriveActions(records));
    expect(await check(retried)).toEqual({ exitCode: 0, gaps: [] });
  });

  it("different records are both kept, each action with a correlation gap, and so is a child's link", async () => {
    const records = sharingAnId();
    const actions = deriveActions(records);
    expect(actions.filter((a) => a.kind === "tool").map((a) => [a.id, a.name, a.requestedBy])).toEqual([
      [sid(3), "refund_payment", sid(2)],
      [`${sid(3)}~2`, "notify_customer", sid(2)],
    ]);
    const { exitCode, gaps } = await check(records);
    expect(exitCode).toBe(1);
    expect(gaps.map((g) => [g.action.name, g.fact, g.cause])).toEqual([
      ["refund_payment", "record", "correlation"],
      ["notify_customer", "record", "correlation"],
      ["gpt-4o-mini", "parent", "correlation"],
    ]);
    expect(gaps[1]!.message).toBe(
      `tool 'notify_customer' (span ${sid(3)}) shares its span id with 1 different record(s); no store can tell them apart`,
    );
    // Neither tool call is reported as never made: the second record still accounts for its call.
    expect(gaps.some((g) => g.cause === "instrumentation")).toBe(false);
  });
});

describe("parent cycles", () => {
  it("a span whose chain of parents loops has no link to its run: a gap, where before the run passed", async () => {
    // The two tool spans name each other as parent: both are held by the run, neither reaches its root.
    const looping = run().map((r) =>
      r.spanId === sid(3)
        ? { ...r, parentSpanId: sid(4) }
        : r.spanId === sid(4)
          ? { ...r, parentSpanId: sid(3) }
          : r,
    );
    const actions = deriveActions(looping);
    for (const id of [sid(3), sid(4), sid(5)])
      expect(actions.find((a) => a.id === id)!.facts.parent).toBeUndefined();
    expect(actions.find((a) => a.id === sid(2))!.facts.parent).toBe(sid(1));
    const { exitCode, gaps } = await check(looping);
    expect(exitCode).toBe(1);
    expect(gaps.map((g) => [g.action.spanId, g.fact, g.cause, g.stage])).toEqual([
      [sid(3), "parent", "correlation", "instrumentation"],
      [sid(4), "parent", "correlation", "instrumentation"],
      [sid(5), "parent", "correlation", "instrumentation"],
    ]);
    expect(gaps[0]!.message).toMatch(/its chain of parents loops and never reaches the run's root/);
    // a span its own parent, alone
    const self = run().map((r) => (r.spanId === sid(5) ? { ...r, parentSpanId: sid(5) } : r));
    const one = await check(self);
    expect(one.gaps.map((g) => [g.action.spanId, g.fact])).toEqual([[sid(5), "parent"]]);
  });
});
