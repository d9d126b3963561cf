import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLoggingConfig } from "../config/logging.js";
import type { LedgerReading } from "../guard/read-ledger.js";
import { recordsFromTrailcheckJsonl } from "../ingest/trailcheck-jsonl.js";
import type { SpanRecord } from "../model/record.js";
import { resolveProfile } from "../profiles/resolve.js";
import type { GroundTruth } from "./ground-truth.js";
import { judgeReplay } from "./judge.js";

const root = join(import.meta.dirname, "..", "..");
// A run of the reference agent (recorded through the replay harness) and what the model asked for.
const RUN = join(root, "incidents", "INC-0005-reference-agent-refund-payment-arguments-must.run.jsonl");
const TRUTH: GroundTruth = {
  modelCalls: 4,
  toolCallsRequested: [
    { id: "call_lookup_order_01", name: "lookup_order", arguments: { orderId: "A-1001" } },
    { id: "call_refund_payment_02", name: "refund_payment", arguments: { orderId: "A-1001", amount: 40 } },
    {
      id: "call_email_customer_03",
      name: "email_customer",
      arguments: {
        to: "<email-1>",
        body: "Hi Jane, we have refunded 40.00 USD for order A-1001 (refund R-5001).",
      },
    },
  ],
  toolResults: [],
};

async function setup() {
  const records = recordsFromTrailcheckJsonl(await readFile(RUN, "utf8"));
  const config = await loadLoggingConfig(join(root, "examples", "logging", "passing.yaml"));
  const profile = await resolveProfile(config.compliance);
  return { records, config, profile };
}

const withoutArgs = (records: SpanRecord[]): SpanRecord[] =>
  records.map((r) => {
    if (r.attributes["ai.toolCall.name"] !== "refund_payment") return r;
    const { "ai.toolCall.args": _dropped, ...attributes } = r.attributes;
    return { ...r, attributes };
  });

describe("judging a replay against an incident's facts", () => {
  it("keeps the facts a complete run carries", async () => {
    const { records, config, profile } = await setup();
    const judged = judgeReplay(TRUTH, records, config, profile, 0n, {
      facts: ["tool:refund_payment.arguments", "policy:refund-limit.decision"],
    });
    expect(judged.verdicts.every((v) => v.reconstructable)).toBe(true);
    expect(judged.facts.map((f) => [f.ref, f.kept])).toEqual([
      ["tool:refund_payment.arguments", true],
      ["policy:refund-limit.decision", true],
    ]);
  });

  it("explains a fact the agent did not emit by the instrumentation gap that lost it", async () => {
    const { records, config, profile } = await setup();
    const judged = judgeReplay(TRUTH, withoutArgs(records), config, profile, 0n, {
      facts: ["tool:refund_payment.arguments"],
    });
    const [outcome] = judged.facts;
    expect(outcome?.kept).toBe(false);
    expect(outcome?.gaps.map((g) => [g.cause, g.action.name, g.fact])).toEqual([
      ["instrumentation", "refund_payment", "arguments"],
    ]);
    expect(judged.verdicts[0]?.reconstructable).toBe(false);
  });

  it("turns a named fact no gap accounts for into an instrumentation gap of its own", async () => {
    const { records, config, profile } = await setup();
    const judged = judgeReplay(TRUTH, records, config, profile, 0n, {
      facts: ["policy:manager-approval.decision"],
    });
    const [outcome] = judged.facts;
    expect(outcome?.kept).toBe(false);
    expect(judged.verdicts).toHaveLength(1);
    expect(judged.verdicts[0]?.reconstructable).toBe(false);
    const gap = judged.verdicts[0]?.gaps.at(-1);
    expect(outcome?.gaps).toEqual([gap]);
    expect(gap).toMatchObject({
      cause: "instrumentation",
      stage: "instrumentation",
      fact: "decision",
      action: { kind: "policy", name: "manager-approval" },
      traceId: records[0]?.traceId,
    });
    expect(gap?.message).toMatchInlineSnapshot(
      `"the incident's fact policy:manager-approval.decision is not in the replay: the run has no policy action named 'manager-approval'"`,
    );
  });

  it("adds nothing when no facts are named", async () => {
    const { records, config, profile } = await setup();
    const judged = judgeReplay(TRUTH, records, config, profile, 0n);
    expect(judged.facts).toEqual([]);
    expect(judged.verdicts.every((v) => v.reconstructable)).toBe(true);
  });
});

describe("judging a replay against the agent's guard ledger", () => {
  const start = (callId: string, toolName: string) => ({
    type: "tool-call.start" as const,
    toolName,
    callId,
    at: "2025-01-01T00:00:00.000Z",
  });
  const reading = (records: LedgerReading["records"], valid = true): LedgerReading => ({
    version: 1,
    valid,
    signed: false,
    checked: "structure",
    findings: valid ? [] : [{ kind: "torn-record", message: "its last record has no line end", index: 3 }],
    records,
    stats: { records: records.length, segments: 1, checkpoints: 0 },
  });

  it("puts a requested call the ledger lacks on the agent's run, and a ledger that fails verification", async () => {
    const { records, config, profile } = await setup();
    const ledger = reading(
      [start("call_lookup_order_01", "lookup_order"), start("call_refund_payment_02", "refund_payment")],
      false,
    );
    const judged = judgeReplay(TRUTH, records, config, profile, 0n, {
      ledger: { reading: ledger, required: false },
    });
    const gaps = judged.verdicts.flatMap((v) => v.gaps);
    expect(gaps.map((g) => `${g.cause} ${g.stage} ${g.action.kind}:${g.action.name}.${g.fact}`)).toEqual([
      "integrity ledger other:ledger.integrity",
      "instrumentation ledger tool:email_customer.record",
    ]);
    expect(gaps.every((g) => g.traceId === records[0]!.traceId)).toBe(true);
    expect(judged.verdicts.find((v) => v.traceId === records[0]!.traceId)?.reconstructable).toBe(false);
  });

  it("checks nothing when the agent keeps no ledger, unless one is required", async () => {
    const { records, config, profile } = await setup();
    const free = judgeReplay(TRUTH, records, config, profile, 0n, { ledger: { required: false } });
    expect(free.verdicts.every((v) => v.reconstructable)).toBe(true);
    const required = judgeReplay(TRUTH, records, config, profile, 0n, { ledger: { required: true } });
    expect(required.verdicts.flatMap((v) => v.gaps).map((g) => g.message)).toEqual(
      TRUTH.toolCallsRequested.map(
        (c) =>
          `the model asked for ${c.name} (${c.id}) and the agent wrote no ledger at TRAILCHECK_LEDGER_DIR`,
      ),
    );
  });
});
