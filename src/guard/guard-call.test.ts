import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { resultSha256 } from "./digest.js";
import { GuardRefusal, guardCall, type UnrecordedEvent } from "./guard-call.js";
import { openLedger } from "./open-ledger.js";
import { readLedger } from "./read-ledger.js";
import type { LedgerRecord } from "./records.js";
import { failingSink, inMemoryTracing } from "./testdata/fixture.js";

cleanupAfterEach();
const { exporter } = inMemoryTracing();
afterEach(() => exporter.reset());
const tracer = trace.getTracer("test");

/** A sink that keeps records in memory and can be told to refuse the next ones. */
function memorySink(refuse: (record: LedgerRecord) => boolean = () => false) {
  const records: LedgerRecord[] = [];
  return {
    records,
    append: async (record: LedgerRecord) => {
      if (refuse(record)) throw new Error("EACCES: permission denied, open 'ledger'");
      records.push(record);
    },
  };
}

/** Runs `fn` inside an active span named `execute_tool`, as an instrumented framework would. */
function inToolSpan<T>(fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan("execute_tool refund_payment", async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}

const CALL = { toolName: "refund_payment", callId: "call_2", arguments: { orderId: "A-1001", amount: 40 } };

describe("guardCall", () => {
  it("records start before the tool runs and end after, with the active span's ids", async () => {
    const sink = memorySink();
    let seenAtRun = 0;
    const result = await inToolSpan(() =>
      guardCall(sink, CALL, () => {
        seenAtRun = sink.records.length;
        return { refundId: "R-5001" };
      }),
    );
    expect(result).toEqual({ refundId: "R-5001" });
    expect(seenAtRun).toBe(1);
    const [span] = exporter.getFinishedSpans();
    const ids = { traceId: span!.spanContext().traceId, spanId: span!.spanContext().spanId };
    expect(sink.records).toEqual([
      { type: "tool-call.start", ...ids, ...CALL, at: expect.any(String) },
      {
        type: "tool-call.end",
        ...ids,
        toolName: "refund_payment",
        callId: "call_2",
        outcome: "ok",
        resultSha256: resultSha256({ refundId: "R-5001" }),
        at: expect.any(String),
      },
    ]);
  });

  it("records a throwing tool as outcome error and rethrows", async () => {
    const sink = memorySink();
    await expect(
      guardCall(sink, CALL, () => {
        throw new Error("card declined");
      }),
    ).rejects.toThrow("card declined");
    expect(sink.records[1]).toMatchObject({
      type: "tool-call.end",
      outcome: "error",
      error: "card declined",
    });
    expect(sink.records[0]).not.toHaveProperty("traceId");
  });

  it("block: with a failing sink the tool does not run, the agent gets an error saying why, the trace gets a deny", async () => {
    const run = vi.fn(() => "refunded");
    const error = await inToolSpan(() => guardCall(failingSink, CALL, run)).catch((e: unknown) => e);
    expect(run).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(GuardRefusal);
    expect((error as Error).message).toBe(
      "refund_payment was not run: trailcheck guard could not record the call (call_2) in the audit ledger " +
        "before running it (ENOSPC: no space left on device, write), and refuses to act without a record",
    );
    const spans = exporter.getFinishedSpans();
    const tool = spans.find((s) => s.name === "execute_tool refund_payment")!;
    const policy = spans.find((s) => s.name === "policy trailcheck.guard")!;
    expect(policy.parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
    expect(policy.attributes).toEqual({
      "trailcheck.kind": "policy",
      "policy.name": "trailcheck.guard",
      "policy.decision": "deny",
      "policy.reason": "ledger-unavailable",
      "policy.subject": tool.spanContext().spanId,
      "policy.tool.name": "refund_payment",
      "policy.tool_call.id": "call_2",
      "policy.tool.arguments": JSON.stringify(CALL.arguments),
      "trailcheck.guard.error": "ENOSPC: no space left on device, write",
    });
    expect(tool.attributes["trailcheck.guard.unrecorded"]).toBeUndefined();
  });

  it("block: a closed ledger refuses too, and a redacting ledger keeps the arguments off the refusal", async () => {
    const ledger = await openLedger({ dir: await tempDir(), redact: true });
    await ledger.close();
    const run = vi.fn();
    await expect(guardCall(ledger, CALL, run)).rejects.toThrow(/could not record .* is closed/);
    expect(run).not.toHaveBeenCalled();
    const policy = exporter.getFinishedSpans().find((s) => s.name === "policy trailcheck.guard")!;
    expect(policy.attributes["policy.tool.arguments"]).toBeUndefined();
    expect(policy.attributes["policy.subject"]).toBe("call_2");
  });

  it("block: arguments a redacting ledger cannot hash (a cycle, a BigInt) are refused, not hashed as [object Object]", async () => {
    // Hashed as their String(), every such call recorded the same argumentsSha256: a record that
    // vouches for any arguments at all. Kept in the clear, JSON already refused them.
    const dir = await tempDir();
    const ledger = await openLedger({ dir, redact: true });
    const cyclic: Record<string, unknown> = { orderId: "A-1001" };
    cyclic.self = cyclic;
    const run = vi.fn(() => "refunded");
    for (const args of [cyclic, { amount: 40n }]) {
      const error = await guardCall(ledger, { ...CALL, arguments: args }, run).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GuardRefusal);
      expect((error as Error).message).toMatch(/the arguments cannot be hashed: JSON cannot hold them/);
    }
    expect(run).not.toHaveBeenCalled();
    await ledger.close();
    expect((await readLedger(dir)).records).toEqual([]);
    const refusals = exporter.getFinishedSpans().filter((s) => s.name === "policy trailcheck.guard");
    expect(refusals.map((s) => s.attributes["policy.tool.arguments"])).toEqual([undefined, undefined]);
  });

  it("flag: with a failing sink the tool runs and its span carries trailcheck.guard.unrecorded", async () => {
    const events: UnrecordedEvent[] = [];
    const result = await inToolSpan(() =>
      guardCall(failingSink, CALL, () => "refunded", { mode: "flag", onUnrecorded: (e) => events.push(e) }),
    );
    expect(result).toBe("refunded");
    const [tool] = exporter.getFinishedSpans();
    expect(tool!.attributes["trailcheck.guard.unrecorded"]).toBe(true);
    expect(events.map((e) => e.record)).toEqual(["start", "end"]);
    expect(exporter.getFinishedSpans().some((s) => s.name.startsWith("policy"))).toBe(false);
  });

  it("block: an end record that fails still returns the result (the side effect happened) and marks the span", async () => {
    const sink = memorySink((r) => r.type === "tool-call.end");
    const events: UnrecordedEvent[] = [];
    const result = await inToolSpan(() =>
      guardCall(sink, CALL, () => "refunded", { onUnrecorded: (e) => events.push(e) }),
    );
    expect(result).toBe("refunded");
    expect(sink.records.map((r) => r.type)).toEqual(["tool-call.start"]);
    expect(events).toMatchObject([{ record: "end", callId: "call_2" }]);
    expect(exporter.getFinishedSpans()[0]!.attributes["trailcheck.guard.unrecorded"]).toBe(true);
  });

  it("records a streamed result when the stream ends, hashing its final value", async () => {
    const sink = memorySink();
    async function* progress() {
      yield { status: "pending" };
      expect(sink.records).toHaveLength(1);
      yield { status: "done" };
    }
    const stream = await guardCall(sink, CALL, () => progress());
    const seen: unknown[] = [];
    for await (const item of stream as AsyncIterable<unknown>) seen.push(item);
    expect(seen).toEqual([{ status: "pending" }, { status: "done" }]);
    expect(sink.records[1]).toMatchObject({ outcome: "ok", resultSha256: resultSha256({ status: "done" }) });
  });

  it("keeps one start and one end record per call when many run at once on a real ledger", async () => {
    const dir = await tempDir();
    const ledger = await openLedger({ dir, sync: "always" });
    const calls = Array.from({ length: 100 }, (_, i) => ({
      toolName: "lookup_order",
      callId: `call_${i}`,
      arguments: { i },
    }));
    const results = await Promise.all(
      calls.map((call, i) =>
        inToolSpan(() =>
          guardCall(ledger, call, async () => {
            await new Promise((r) => setTimeout(r, i % 7));
            return i;
          }),
        ),
      ),
    );
    await ledger.close();
    expect(results).toEqual(calls.map((_, i) => i));
    const reading = await readLedger(dir);
    expect(reading.valid).toBe(true);
    for (const type of ["tool-call.start", "tool-call.end"]) {
      const ids = reading.records.filter((r) => r.type === type).map((r) => ("callId" in r ? r.callId : ""));
      expect(ids.sort()).toEqual(calls.map((c) => c.callId).sort());
    }
    // Each call's records carry its own span, never a neighbour's.
    const spanOf = new Map<string, string | undefined>();
    for (const r of reading.records) {
      if (r.type !== "tool-call.start" && r.type !== "tool-call.end") continue;
      if (spanOf.has(r.callId)) expect(r.spanId).toBe(spanOf.get(r.callId));
      else spanOf.set(r.callId, r.spanId);
    }
    expect(new Set(spanOf.values()).size).toBe(100);
  });
});
