// The support agent's tools. refund_payment goes through the policy layer, which records each
// decision as a native trailcheck policy span naming the call it governed, and in the guard's ledger.
import { SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { tool } from "ai";
import { z } from "zod";
import { type LedgerSink, recordPolicyDecision } from "../../src/public/guard.js";
import { evaluateRefundPolicy, type Order, POLICY_NAME, type PolicyDecision } from "./shop.js";

/** One policy decision, as a span under the governed tool call's span. */
function recordDecision(tracer: Tracer, decision: PolicyDecision, toolCallId: string, amount: number): void {
  const governed = trace.getActiveSpan()?.spanContext().spanId;
  const span = tracer.startSpan(`policy ${POLICY_NAME}`, {
    attributes: {
      "trailcheck.kind": "policy",
      "policy.name": POLICY_NAME,
      "policy.decision": decision.decision,
      "policy.reason": decision.reason,
      "policy.tool.name": "refund_payment",
      "policy.tool_call.id": toolCallId,
      "policy.tool.arguments": JSON.stringify({ amount }),
      ...(governed ? { "policy.subject": governed } : {}),
    },
  });
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
}

export function makeTools(orders: Record<string, Order>, policyTracer: Tracer, ledger: LedgerSink) {
  let refunds = 0;
  return {
    lookup_order: tool({
      description: "Look up an order by its id.",
      inputSchema: z.object({ orderId: z.string() }),
      execute: async ({ orderId }) => {
        const order = orders[orderId];
        if (!order) throw new Error(`unknown order ${orderId}`);
        return order;
      },
    }),
    refund_payment: tool({
      description: "Refund (part of) the payment of an order.",
      inputSchema: z.object({ orderId: z.string(), amount: z.number() }),
      execute: async ({ orderId, amount }, { toolCallId }) => {
        const decision = evaluateRefundPolicy(amount);
        recordDecision(policyTracer, decision, toolCallId, amount);
        // The ledger keeps the decision whatever the trace sampler does with the span.
        await recordPolicyDecision(ledger, {
          name: POLICY_NAME,
          ...decision,
          toolName: "refund_payment",
          callId: toolCallId,
        });
        // A denied refund is never issued; the model is told why.
        if (decision.decision === "deny")
          return { error: "denied_by_policy", policy: POLICY_NAME, reason: decision.reason };
        refunds += 1;
        return { refundId: `R-${5000 + refunds}`, orderId, amount, currency: "USD", status: "succeeded" };
      },
    }),
    email_customer: tool({
      description: "Send an email to the customer.",
      inputSchema: z.object({ to: z.string(), body: z.string() }),
      execute: async () => ({ messageId: "msg-7001", status: "sent" }),
    }),
  };
}
