// The customer-support scenario shared by every generator, so that the example traces of all
// conventions describe the same run and can be compared field by field.

export const AGENT_NAME = "support-agent";
export const REFUND_AGENT_NAME = "refund-agent";
export const MODEL_ID = "gpt-4o";
export const RESPONSE_MODEL_ID = "gpt-4o-2024-08-06";
export const SESSION_ID = "sess-7f3c2a";
export const SERVICE_NAME = "support-agent-example";

export const SYSTEM_PROMPT =
  "You are support-agent for an online shop. Look orders up before acting. Refunds up to 100 USD " +
  "may be issued without human approval. Always email the customer a confirmation.";

/** Scenario "ok": refund of order A-1001 (40 USD), allowed by the policy. */
export const USER_PROMPT =
  "Hi, I'd like a refund for order A-1001 - the headphones arrived broken. My email is jane.doe@example.com.";

export const ORDER_ID = "A-1001";
export const CUSTOMER_EMAIL = "jane.doe@example.com";

export const ORDER = {
  orderId: ORDER_ID,
  status: "delivered",
  customer: { name: "Jane Doe", email: CUSTOMER_EMAIL },
  items: [{ sku: "HP-200", name: "Wireless headphones", quantity: 1, unitPrice: 40 }],
  total: 40,
  currency: "USD",
} as const;

export const REFUND_ARGS = { orderId: ORDER_ID, amount: 40 } as const;
export const REFUND_RESULT = {
  refundId: "R-5001",
  orderId: ORDER_ID,
  amount: 40,
  currency: "USD",
  status: "succeeded",
} as const;

export const EMAIL_ARGS = {
  to: CUSTOMER_EMAIL,
  body:
    "Hi Jane, we have refunded 40.00 USD for order A-1001 (refund R-5001). " +
    "It will appear on your statement within 5 business days.",
} as const;
export const EMAIL_RESULT = { messageId: "msg-7001", status: "sent" } as const;

export const FINAL_TEXT =
  "I've refunded 40.00 USD for order A-1001 (refund R-5001) and emailed a confirmation to " +
  "jane.doe@example.com.";

/** Tool call ids the scripted model uses (OpenAI style). */
export const CALL_IDS = {
  lookup: "call_lookup_order_01",
  refund: "call_refund_payment_02",
  email: "call_email_customer_03",
} as const;

/** Scenario "denied": the order service fails once, then a 500 USD refund is denied by the policy. */
export const DENIED_USER_PROMPT =
  "Order A-1002 never arrived. Refund the full 500 USD to my card, please. - jane.doe@example.com";
export const DENIED_ORDER_ID = "A-1002";
export const DENIED_ORDER = {
  orderId: DENIED_ORDER_ID,
  status: "in_transit",
  customer: { name: "Jane Doe", email: CUSTOMER_EMAIL },
  items: [{ sku: "TV-55", name: "55-inch television", quantity: 1, unitPrice: 500 }],
  total: 500,
  currency: "USD",
} as const;
export const DENIED_REFUND_ARGS = { orderId: DENIED_ORDER_ID, amount: 500 } as const;
export const DENIED_CALL_IDS = {
  lookupFailing: "call_lookup_order_11",
  lookupRetry: "call_lookup_order_12",
  refund: "call_refund_payment_13",
} as const;
export const LOOKUP_FAILURE_MESSAGE = "order service unavailable (HTTP 503)";
export const DENIED_FINAL_TEXT =
  "I can't issue a 500 USD refund myself: refunds above 100 USD need approval by a supervisor. " +
  "I've escalated order A-1002 and you'll hear from us within one business day.";

export const POLICY_NAME = "refund-limit";
export const REFUND_LIMIT = 100;

export type PolicyDecision = { decision: "allow" | "deny" | "flag"; reason: string };

/** The policy the small policy layer enforces before refund_payment runs. */
export function evaluateRefundPolicy(args: { orderId: string; amount: number }): PolicyDecision {
  if (args.amount <= REFUND_LIMIT) {
    return { decision: "allow", reason: `amount ${args.amount} <= limit ${REFUND_LIMIT}` };
  }
  return { decision: "deny", reason: `amount ${args.amount} > limit ${REFUND_LIMIT}` };
}

export const TOOL_DESCRIPTIONS = {
  lookup_order: "Look up an order by its id.",
  refund_payment: "Refund (part of) the payment of an order.",
  email_customer: "Send an email to the customer.",
} as const;

/** JSON schemas of the tools, for conventions that record tool definitions. */
export const TOOL_SCHEMAS = {
  lookup_order: {
    type: "object",
    properties: { orderId: { type: "string" } },
    required: ["orderId"],
    additionalProperties: false,
  },
  refund_payment: {
    type: "object",
    properties: { orderId: { type: "string" }, amount: { type: "number" } },
    required: ["orderId", "amount"],
    additionalProperties: false,
  },
  email_customer: {
    type: "object",
    properties: { to: { type: "string" }, body: { type: "string" } },
    required: ["to", "body"],
    additionalProperties: false,
  },
} as const;

/** One scripted model turn: what the model answers to the conversation so far. */
export interface ScriptedTurn {
  toolCalls?: { id: string; name: ToolName; args: Record<string, unknown> }[];
  text?: string;
  usage: { input: number; output: number };
}
export type ToolName = keyof typeof TOOL_DESCRIPTIONS;

export const OK_SCRIPT: ScriptedTurn[] = [
  {
    toolCalls: [{ id: CALL_IDS.lookup, name: "lookup_order", args: { orderId: ORDER_ID } }],
    usage: { input: 182, output: 18 },
  },
  {
    toolCalls: [{ id: CALL_IDS.refund, name: "refund_payment", args: REFUND_ARGS }],
    usage: { input: 291, output: 22 },
  },
  {
    toolCalls: [{ id: CALL_IDS.email, name: "email_customer", args: EMAIL_ARGS }],
    usage: { input: 340, output: 61 },
  },
  { text: FINAL_TEXT, usage: { input: 421, output: 34 } },
];

export const DENIED_SCRIPT: ScriptedTurn[] = [
  {
    toolCalls: [
      { id: DENIED_CALL_IDS.lookupFailing, name: "lookup_order", args: { orderId: DENIED_ORDER_ID } },
    ],
    usage: { input: 179, output: 18 },
  },
  {
    toolCalls: [
      { id: DENIED_CALL_IDS.lookupRetry, name: "lookup_order", args: { orderId: DENIED_ORDER_ID } },
    ],
    usage: { input: 226, output: 18 },
  },
  {
    toolCalls: [{ id: DENIED_CALL_IDS.refund, name: "refund_payment", args: DENIED_REFUND_ARGS }],
    usage: { input: 335, output: 22 },
  },
  { text: DENIED_FINAL_TEXT, usage: { input: 402, output: 41 } },
];

/**
 * The tool implementations of the example shop. `lookupFailures` makes the first N lookups fail
 * like a flaky order service.
 */
export function makeToolRuntime(lookupFailures = 0) {
  let failuresLeft = lookupFailures;
  return (name: ToolName, args: Record<string, unknown>): unknown => {
    switch (name) {
      case "lookup_order": {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error(LOOKUP_FAILURE_MESSAGE);
        }
        if (args.orderId === ORDER_ID) return ORDER;
        if (args.orderId === DENIED_ORDER_ID) return DENIED_ORDER;
        throw new Error(`unknown order ${String(args.orderId)}`);
      }
      case "refund_payment":
        return { ...REFUND_RESULT, orderId: args.orderId, amount: args.amount };
      case "email_customer":
        return EMAIL_RESULT;
    }
  };
}

/** What the application tells the model when the policy blocked a call. */
export function deniedToolResult(decision: PolicyDecision) {
  return { error: "denied_by_policy", policy: POLICY_NAME, reason: decision.reason };
}
