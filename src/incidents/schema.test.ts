import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFactRef } from "./fact-ref.js";
import { INCIDENT_SCHEMA_PATH, incidentJsonSchemaText } from "./json-schema.js";
import { discoverIncidents, loadIncident, parseIncident } from "./load.js";

const root = join(import.meta.dirname, "..", "..");

const VALID = `id: INC-0007
title: Refund arguments lost
reported: 2026-02-03
source: incident-investigation
severity: high
summary: The refund call was stored without its arguments.
run: INC-0007-refund.run.jsonl
expect:
  facts: [tool:refund_payment.arguments]
  auditAfter: 30d
`;

describe("incident format", () => {
  it("the committed JSON Schema is the one generated from the zod schema (regenerate: node bin/run-ts.js src/incidents/generate-schema.ts)", async () => {
    expect(await readFile(join(root, INCIDENT_SCHEMA_PATH), "utf8")).toBe(incidentJsonSchemaText());
  });

  it("parses kind:name.fact, names with dots included", () => {
    expect(parseFactRef("tool:refund_payment.arguments")).toEqual({
      kind: "tool",
      name: "refund_payment",
      fact: "arguments",
    });
    expect(parseFactRef("llm:gpt-4.1.model")).toEqual({ kind: "llm", name: "gpt-4.1", fact: "model" });
    expect(parseFactRef("tool:x.args")).toEqual({
      error: expect.stringContaining("'args' is not a fact; use one of record, parent"),
    });
  });

  it("accepts a valid incident", () => {
    expect(parseIncident(VALID, "incidents/INC-0007-refund.yaml").id).toBe("INC-0007");
  });

  it("reports file, line and field of a bad value", () => {
    const bad = VALID.replace("severity: high", "severity: urgent");
    expect(() => parseIncident(bad, "incidents/INC-0007-refund.yaml")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: incidents/INC-0007-refund.yaml:5:11 (severity): Invalid option: expected one of "low"|"medium"|"high"|"critical"]`,
    );
    const badFact = VALID.replace("tool:refund_payment.arguments", "tool:refund_payment.args");
    expect(() => parseIncident(badFact, "incidents/INC-0007-refund.yaml")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: incidents/INC-0007-refund.yaml:9:11 (expect.facts[0]): 'args' is not a fact; use one of record, parent, traceId, name, status, error, model, input, output, toolCalls, callId, arguments, result, decision, reason, subject, from, to, integrity]`,
    );
  });

  it("rejects an id that does not match the file name, and a run file outside the folder", () => {
    expect(() => parseIncident(VALID, "incidents/INC-0008-refund.yaml")).toThrow(
      "incidents/INC-0008-refund.yaml (id): id INC-0007 does not match the file name (INC-0008)",
    );
    expect(() =>
      parseIncident(
        VALID.replace("run: INC-0007-refund.run.jsonl", "run: ../../etc/passwd"),
        "INC-0007.yaml",
      ),
    ).toThrow("(run): expected the sibling file INC-0001-<slug>.run.jsonl");
  });

  it("a malformed file is still discovered, under its file name, and fails to load with a clear message", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-incidents-"));
    await writeFile(
      join(dir, "INC-0001-ok.yaml"),
      VALID.replaceAll("INC-0007", "INC-0001").replace("-refund", "-ok"),
    );
    await writeFile(join(dir, "INC-0002-broken.yaml"), "id: INC-0002\ntitle: [unclosed\n");
    await writeFile(join(dir, "notes.md"), "not an incident");
    const entries = await discoverIncidents(dir);
    expect(entries.map((e) => e.testName)).toEqual([
      "INC-0001 Refund arguments lost",
      "INC-0002 (INC-0002-broken.yaml)",
    ]);
    await expect(loadIncident(entries[1]!.file)).rejects.toThrow(
      /INC-0002-broken\.yaml:3:1: Flow sequence in block collection/,
    );
    await expect(loadIncident(entries[0]!.file)).rejects.toThrow(
      "(run): the recorded run 'INC-0001-ok.run.jsonl' is missing next to the incident",
    );
  });
});
