// The example shop behind the support agent's tools, and its refund policy. Orders come from the
// scenario's `tools.orders` fixture when the harness provides one (TRAILCHECK_SCENARIO).
import { readFileSync } from "node:fs";

export interface Order {
  orderId: string;
  status: string;
  customer: { name: string; email: string };
  total: number;
  currency: string;
}

export const DEFAULT_ORDERS: Record<string, Order> = {
  "A-1001": {
    orderId: "A-1001",
    status: "delivered",
    customer: { name: "Jane Doe", email: "jane.doe@example.com" },
    total: 40,
    currency: "USD",
  },
  "A-1002": {
    orderId: "A-1002",
    status: "in_transit",
    customer: { name: "Jane Doe", email: "jane.doe@example.com" },
    total: 500,
    currency: "USD",
  },
};

/** The orders of the scenario's fixtures, else the default shop. */
export function loadOrders(scenarioFile: string | undefined): Record<string, Order> {
  if (!scenarioFile) return DEFAULT_ORDERS;
  const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as {
    tools?: { orders?: Record<string, Order> };
  };
  return scenario.tools?.orders ?? DEFAULT_ORDERS;
}

export const POLICY_NAME = "refund-limit";
export const REFUND_LIMIT = 100;

export interface PolicyDecision {
  decision: "allow" | "deny";
  reason: string;
}

/** Refunds up to the limit may be issued without a human; larger ones are denied. */
export function evaluateRefundPolicy(amount: number): PolicyDecision {
  return amount <= REFUND_LIMIT
    ? { decision: "allow", reason: `amount ${amount} <= limit ${REFUND_LIMIT}` }
    : { decision: "deny", reason: `amount ${amount} > limit ${REFUND_LIMIT}` };
}
