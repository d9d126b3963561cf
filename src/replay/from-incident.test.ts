import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseIncident } from "../incidents/load.js";
import { ScenarioSchema } from "../model/scenario.js";
import { replaySkipReason, scenarioFromIncident } from "./from-incident.js";

const AGENT = "node bin/run-ts.js examples/support-agent/agent.ts";

const incident = (extra = "") =>
  parseIncident(
    `id: INC-0007
title: Refund arguments lost
reported: 2026-02-03
source: incident-investigation
severity: high
summary: The refund call was stored without its arguments.
run: INC-0007-refund.run.jsonl
expect:
  facts: [tool:refund_payment.arguments]
  auditAfter: 30d
${extra}`,
    "INC-0007-refund.yaml",
  );

const SCENARIO = `scenario:
  input: Refund order A-1001, please.
  turns:
    - toolCalls:
        - { id: call_1, name: refund_payment, arguments: '{"orderId":"A-1001","amount":40}' }
        - { name: email_customer, arguments: '{}' }
    - text: Done.
`;

describe("an incident as a replay", () => {
  it("turns the recorded scenario into a replay scenario, tool arguments parsed from their JSON text", () => {
    const scenario = scenarioFromIncident(incident(SCENARIO));
    expect(ScenarioSchema.parse(scenario)).toEqual(scenario);
    expect(scenario).toEqual({
      name: "INC-0007",
      description: "Refund arguments lost",
      input: "Refund order A-1001, please.",
      turns: [
        {
          toolCalls: [
            { id: "call_1", name: "refund_payment", arguments: { orderId: "A-1001", amount: 40 } },
            { name: "email_customer", arguments: {} },
          ],
        },
        { text: "Done." },
      ],
    });
  });

  it("refuses an incident without a scenario as bad input (exit 2), saying what to do", () => {
    const run = () => scenarioFromIncident(incident(), "incidents/INC-0007-refund.yaml");
    expect(run).toThrow(InputError);
    try {
      run();
    } catch (err) {
      expect((err as InputError).exitCode).toBe(2);
      expect((err as InputError).code).toBe("no-scenario");
      expect((err as Error).message).toMatchInlineSnapshot(
        `"incidents/INC-0007-refund.yaml (scenario): INC-0007 has no scenario to replay: its recording has no model calls to script. Replay a scenario file instead, or add the incident from a recording with model calls."`,
      );
    }
  });

  it("names the tool call whose arguments are not a JSON object", () => {
    const bad = incident(`scenario:
  input: hi
  turns:
    - toolCalls: [{ name: refund_payment, arguments: '[1, 2]' }]
`);
    expect(() => scenarioFromIncident(bad, "INC-0007-refund.yaml")).toThrow(
      /\(scenario\.turns\[0\]\.toolCalls\[0\]\.arguments\): the tool call's arguments must be a JSON object/,
    );
  });

  it("replays only against the agent the incident was recorded from, and says why not otherwise", () => {
    expect(replaySkipReason(incident(`${SCENARIO}replay: { agent: "${AGENT}" }\n`), AGENT)).toBeUndefined();
    expect(
      replaySkipReason(
        incident(`${SCENARIO}replay: { agent: "  node bin/run-ts.js   examples/support-agent/agent.ts" }\n`),
        AGENT,
      ),
    ).toBeUndefined();
    expect(replaySkipReason(incident(SCENARIO), AGENT)).toMatch(
      /^the incident does not say which agent it was recorded from \(replay\.agent\)/,
    );
    expect(replaySkipReason(incident(`${SCENARIO}replay: { agent: python agent.py }\n`), AGENT)).toBe(
      `the incident was recorded from 'python agent.py', not from the configured agent '${AGENT}'`,
    );
    expect(replaySkipReason(incident(`${SCENARIO}replay: { agent: python agent.py }\n`), undefined)).toMatch(
      /configures no agent\.command/,
    );
    expect(replaySkipReason(incident(), AGENT)).toBe("the incident has no scenario");
  });
});
