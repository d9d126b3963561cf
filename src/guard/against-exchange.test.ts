import { describe, expect, it } from "vitest";
import { unrecordedCalls } from "./against-exchange.js";
import { argumentsSha256 } from "./digest.js";
import type { LedgerRecord } from "./records.js";

const AT = "2025-01-01T00:00:00.000Z";
const call = (id: string, name = "refund_payment", args: unknown = { amount: 40 }) => ({
  id,
  name,
  arguments: args,
});

describe("unrecordedCalls", () => {
  it("finds calls by id, else by name and arguments (clear or hashed), each record used once", () => {
    const records: LedgerRecord[] = [
      {
        type: "tool-call.start",
        toolName: "refund_payment",
        callId: "call_1",
        arguments: { amount: 40 },
        at: AT,
      },
      // A framework that made up its own ids: matched by name and arguments.
      {
        type: "tool-call.start",
        toolName: "refund_payment",
        callId: "guard-x",
        arguments: { amount: 50 },
        at: AT,
      },
      {
        type: "tool-call.start",
        toolName: "email_customer",
        callId: "guard-y",
        argumentsSha256: argumentsSha256({ to: "a@b", body: "hi" }),
        at: AT,
      },
    ];
    const requested = [
      call("call_1"),
      call("call_2", "refund_payment", '{"amount": 50}'),
      call("call_3", "email_customer", { body: "hi", to: "a@b" }),
      call("call_4", "refund_payment", { amount: 50 }),
    ];
    expect(unrecordedCalls(records, requested)).toEqual([requested[3]]);
  });

  it("accounts for a call a recorded policy decision denied before it ran", () => {
    const records: LedgerRecord[] = [
      {
        type: "policy",
        name: "refund-limit",
        decision: "deny",
        callId: "call_9",
        toolName: "refund_payment",
        at: AT,
      },
      { type: "policy", name: "refund-limit", decision: "allow", callId: "call_8", at: AT },
    ];
    expect(unrecordedCalls(records, [call("call_9"), call("call_8")]).map((c) => c.id)).toEqual(["call_8"]);
  });
});
