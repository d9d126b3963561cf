import fc from "fast-check";
import { piiArb } from "./_internals/pii.js";

/** A tool the agent under test offers: its name and realistic arguments for the scripted model to send. */
export interface ScenarioTool {
  readonly name: string;
  readonly arguments: fc.Arbitrary<Record<string, unknown>>;
}

/** The reference shop's orders first (they shrink there), then ids it doesn't know, so lookups fail. */
const ORDER_IDS = ["A-1001", "A-1002", "A-1O01", "B-2077"] as const;
const CUSTOMERS = ["jane.doe@example.com", "li.wei@mail.example.org", "o.connor@corp.example.net"] as const;

const orderId = fc.constantFrom(...ORDER_IDS);
/** Half within the reference agent's refund limit (100), half above it: requests its policy denies. */
const amount = fc.oneof(
  { withCrossShrink: true },
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 101, max: 1000 }),
);

/** The reference agent's tools (`examples/support-agent`), with personal data in the email. */
export const SUPPORT_AGENT_TOOLS: readonly ScenarioTool[] = [
  { name: "lookup_order", arguments: fc.record({ orderId }) },
  { name: "refund_payment", arguments: fc.record({ orderId, amount }) },
  {
    name: "email_customer",
    arguments: fc.tuple(fc.constantFrom(...CUSTOMERS), orderId, piiArb()).map(([to, id, pii]) => ({
      to,
      body: `Hi, about your order ${id}: we have your details on file (${pii.value}). Reply to ${to} with any questions.`,
    })),
  },
];
