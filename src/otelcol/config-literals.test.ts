// biome-ignore-all lint/suspicious/noTemplateCurlyInString: collector config text, not templates
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../errors.js";
import { TRACE } from "../testing/hostile-fixtures.js";
import { runCliHere } from "../testing/run-cli.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";

/**
 * A value written in a config that becomes an attribute value keeps the type the collector gives it.
 * The collector reads its YAML with yaml.v3 into `any` (confmap/provider.go NewRetrievedFromYAML), where
 * `5.0` is a float64; the attributes processor makes a pdata value of it with Value.FromRaw
 * (attraction.go NewAttrProc), and FromRaw of a float64 is a Double (pdata pcommon/value.go). Then
 * tail_sampling's numeric_attribute reads Value.Int() — 0 for a Double — and does not sample the trace.
 * Each case is a whole `check` whose verdict flips with the literal's type.
 */
cleanupAfterEach();

const insertRisk = (value: string) => `{ key: risk, action: insert, value: ${value} }`;
const numeric =
  "{ name: risky, type: numeric_attribute, numeric_attribute: { key: risk, min_value: 1, max_value: 10 } }";

async function nativeCheck(processors: string[]) {
  const dir = await tempDir();
  const file = join(dir, "logging.yaml");
  await writeFile(
    file,
    [
      "streams:",
      "  - name: all",
      "    match: { default: true }",
      "    retention: 400d",
      "    processors:",
      ...processors.map((p) => `      - ${p}`),
    ].join("\n"),
  );
  return runCliHere(["check", "--trace", TRACE, "--logging", file]);
}

async function collectorCheck(processors: Record<string, string>, env: Record<string, string> = {}) {
  const dir = await tempDir();
  const file = join(dir, "otelcol.yaml");
  const storage = join(dir, "storage.yaml");
  await writeFile(
    file,
    [
      "receivers: { otlp: { protocols: { grpc: {} } } }",
      "processors:",
      ...Object.entries(processors).map(([id, settings]) => `  ${id}: ${settings}`),
      "exporters: { otlp: { endpoint: 'a:4317' } }",
      "service:",
      "  pipelines:",
      `    traces: { receivers: [otlp], processors: [${Object.keys(processors).join(", ")}], exporters: [otlp] }`,
    ].join("\n"),
  );
  await writeFile(storage, "exporters: { otlp: { retention: 400d } }\n");
  return runCliHere(["check", "--trace", TRACE, "--otelcol", file, "--storage", storage], env);
}

const tail = `{ decision_wait: 1s, policies: [${numeric}] }`;

describe("a configured float literal is a Double, as the collector reads it", () => {
  it("native config: attributes insert `value: 5` keeps the run, `value: 5.0` loses it to numeric_attribute", async () => {
    const asInt = await nativeCheck([
      `attributes: { actions: [${insertRisk("5")}] }`,
      `tail_sampling: ${tail}`,
    ]);
    expect(asInt.code, asInt.out + asInt.err).toBe(ExitCode.ok);
    for (const literal of ["5.0", "5.", "0.5e1"]) {
      const asFloat = await nativeCheck([
        `attributes: { actions: [${insertRisk(literal)}] }`,
        `tail_sampling: ${tail}`,
      ]);
      expect(asFloat.code, literal + asFloat.out + asFloat.err).toBe(ExitCode.gaps);
      expect(asFloat.out).toMatch(
        /tail_sampling\[1\]\s+\S+ '[^']*' \(span [0-9a-f]+\) was lost: trace not sampled/,
      );
    }
  });

  it("collector config: the same, for a literal and for ${env:…} read as YAML", async () => {
    const run = (value: string, env?: Record<string, string>) =>
      collectorCheck({ attributes: `{ actions: [${insertRisk(value)}] }`, tail_sampling: tail }, env);
    const r = await run("5");
    expect(r.code, r.out + r.err).toBe(ExitCode.ok);
    expect((await run("5.0")).code).toBe(ExitCode.gaps);
    expect((await run('"${env:RISK}"', { RISK: "5" })).code).toBe(ExitCode.ok);
    expect((await run('"${env:RISK}"', { RISK: "5.0" })).code).toBe(ExitCode.gaps);
    // yaml.v3 reads `05` as the int 5; quoted, `'5.0'` is a string, which numeric_attribute reads as 0.
    expect((await run("05")).code).toBe(ExitCode.ok);
    expect((await run("'5.0'")).code).toBe(ExitCode.gaps);
  });

  it("a strict include value 5.0 matches a Double 5.0 and not an Int 5", async () => {
    // The second processor hashes the tool call's arguments only on spans whose risk matches.
    const hashArgs = (value: string) =>
      `{ include: { match_type: strict, attributes: [{ key: risk, value: ${value} }] }, actions: [{ key: ai.toolCall.args, action: hash }] }`;
    const run = (inserted: string, matched: string) =>
      collectorCheck({
        attributes: `{ actions: [${insertRisk(inserted)}] }`,
        "attributes/hash": hashArgs(matched),
      });
    expect((await run("5.0", "5.0")).code).toBe(ExitCode.gaps);
    expect((await run("5", "5")).code).toBe(ExitCode.gaps);
    expect((await run("5.0", "5")).code).toBe(ExitCode.ok);
    expect((await run("5", "5.0")).code).toBe(ExitCode.ok);
  });
});
