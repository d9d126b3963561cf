import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLoggingConfig } from "../config/logging.js";
import { readRecords } from "../ingest/index.js";
import type { Cause } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import { resolveProject } from "../project/project.js";
import { matchers } from "../testing/matchers.js";
import { checkIncident, type IncidentContext, loadIncidentContext } from "./check.js";
import { discoverIncidents, loadIncident } from "./load.js";

expect.extend(matchers);

const root = join(import.meta.dirname, "..", "..");
const examples = join(root, "examples");

/** Each seed incident and the "before" logging config that lost its facts. */
const SEEDS: [id: string, before: string, cause: Cause][] = [
  ["INC-0001", "sampling.yaml", "sampling"],
  ["INC-0002", "retention.yaml", "retention"],
  ["INC-0003", "redaction.yaml", "redaction"],
  ["INC-0004", "correlation.yaml", "correlation"],
];

async function seed(id: string) {
  const entry = (await discoverIncidents(join(root, "incidents"))).find((e) => e.id === id);
  if (!entry) throw new Error(`seed ${id} is missing from incidents/`);
  return loadIncident(entry.file);
}

async function context(before?: string): Promise<IncidentContext> {
  const flags = before ? { logging: join(examples, "logging", before) } : {};
  return loadIncidentContext(await resolveProject({ flags, cwd: root, env: {} }));
}

describe("seed incidents", () => {
  it("the project's current logging config is examples/logging/passing.yaml", async () => {
    expect((await context()).project.logging.logging).toBe(join(examples, "logging", "passing.yaml"));
  });

  for (const [id, before, cause] of SEEDS) {
    it(`${id} fails against examples/logging/${before} (${cause}) and passes against the current config`, async () => {
      const loaded = await seed(id);
      const lost = await checkIncident(loaded, await context(before));
      expect(lost).not.toBeReconstructable();
      expect(lost.facts.filter((f) => !f.kept).map((f) => f.ref)).toEqual(loaded.incident.expect.facts);
      expect(new Set(lost.facts.flatMap((f) => f.gaps.map((g) => g.cause)))).toEqual(new Set([cause]));

      const kept = await checkIncident(loaded, await context());
      expect(kept).toBeReconstructable();
      expect(kept).toKeepFacts(loaded.incident.expect.facts);
    });
  }

  it("INC-0003's gap as recorded: with recordOutputs off the arguments never reach any pipeline", async () => {
    const records: SpanRecord[] = [];
    for await (const r of readRecords(join(examples, "traces", "ai-sdk-v6-no-outputs.otlp.json")))
      records.push(r);
    const loaded = { ...(await seed("INC-0003")), records };
    const result = await checkIncident(loaded, await context());
    const [fact] = result.facts;
    expect(fact).toMatchObject({ ref: "tool:refund_payment.arguments", kept: false });
    expect(fact!.gaps.map((g) => `${g.cause} @ ${g.stage}`)).toEqual(["instrumentation @ instrumentation"]);
  });

  it("a failing incident reads like a good test failure: the fact, cause, stage and fix", async () => {
    const loaded = await seed("INC-0003");
    const result = await checkIncident(loaded, await context("redaction.yaml"));
    expect(() =>
      expect(result).toKeepFacts(loaded.incident.expect.facts),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected 1 fact(s) to be kept; 1 missing:
      tool:refund_payment.arguments: missing
        ✗ tool:refund_payment.arguments — redaction at all/redaction[0] (high)
            tool 'refund_payment' (span 1c03def5031c8412): arguments ('ai.toolCall.args') was deleted — key is not in allowed_keys (ai.operationId, operation.name, ai.model.id, ai.model.provider, gen_ai.operation.name, gen_ai.request.model, gen_ai.response.model, gen_ai.system, gen_ai.provider.name, gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, ai.telemetry.functionId, ai.toolCall.name, ai.toolCall.id, gen_ai.tool.name, gen_ai.tool.call.id, gen_ai.agent.name, trailcheck.kind, policy.name)
            fix: allow 'ai.toolCall.args' in stream 'all' (or hash it with hash_function instead of deleting or masking it)]
    `);
  });

  it("an unknown fact says so instead of passing", async () => {
    const loaded = await seed("INC-0003");
    const result = await checkIncident(loaded, await context());
    expect(() => expect(result).toKeepFacts(["tool:refund.arguments"])).toThrow(
      "tool:refund.arguments: missing — the run has no tool action named 'refund'",
    );
    expect(() => expect({}).toBeReconstructable()).toThrow(
      "toBeReconstructable() expects the result of checkRecords() or checkIncident() ({ verdicts, comparisons }), got object",
    );
    const config = await loadLoggingConfig(join(examples, "logging", "passing.yaml"));
    expect(config.streams.length).toBeGreaterThan(0);
  });
});
