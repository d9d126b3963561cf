import { createHash } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FACTS_BY_KIND } from "../../model/action.js";
import type { Profile } from "../../model/profile.js";
import type { SpanRecord } from "../../model/record.js";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { agentRunArb } from "../../synth/agent-run.js";
import type { SynthOptions } from "../../synth/options.js";
import { genAiRun, openInferenceRun } from "../../testing/runs.js";
import { judgeRun } from "../judge.js";
import { mergeCopies } from "../merge-copies.js";
import { runFactsOf } from "../run-facts.js";
import { READ_COLUMNS, recordOfRow, type StoredRow } from "./exporter-rows.js";
import { runSelect } from "./run-query.js";
import { createExporterTables, insertRecords, openTestChdb } from "./testdata/chdb.js";

/**
 * The push-down is sound: a run the query settles (counts as reconstructable without sending it to
 * node) is one node — the code that judges runs read from files — finds reconstructable, with the
 * same agent and service. Checked on generated runs in every convention, whole and damaged in the
 * ways stores lose things and in ways meant to fool the SQL, under several profiles.
 */

type Damage = (records: SpanRecord[], pick: number, text: string) => SpanRecord[];

const at = <T>(list: readonly T[], pick: number): T | undefined =>
  list.length === 0 ? undefined : list[pick % list.length];

function withAttributes(
  records: SpanRecord[],
  pick: number,
  change: (a: Record<string, unknown>, key: string) => void,
) {
  const i = pick % records.length;
  const r = records[i]!;
  const keys = Object.keys(r.attributes);
  const key = at(keys, pick >> 3);
  if (key === undefined) return records;
  const attributes = { ...r.attributes } as Record<string, unknown>;
  change(attributes, key);
  const out = [...records];
  out[i] = { ...r, attributes: attributes as SpanRecord["attributes"] };
  return out;
}

/** The JSON payload attribute of a span that holds tool calls, rewritten. */
function rewritePayload(records: SpanRecord[], pick: number, rewrite: (text: string) => string) {
  const holders = records.flatMap((r, i) =>
    Object.entries(r.attributes)
      .filter(([, v]) => typeof v === "string" && /tool_call|toolName|function/.test(v))
      .map(([k]) => [i, k] as const),
  );
  const hit = at(holders, pick);
  if (!hit) return records;
  const [i, key] = hit;
  const out = [...records];
  out[i] = {
    ...out[i]!,
    attributes: { ...out[i]!.attributes, [key]: rewrite(String(out[i]!.attributes[key])) },
  };
  return out;
}

const DAMAGES: Record<string, Damage> = {
  none: (r) => r,
  dropSpan: (r, p) => r.filter((_, i) => i !== p % r.length),
  dropRoot: (r) => r.filter((x) => x.parentSpanId !== undefined),
  deleteAttribute: (r, p) => withAttributes(r, p, (a, k) => delete a[k]),
  emptyAttribute: (r, p) => withAttributes(r, p, (a, k) => (a[k] = "")),
  maskAttribute: (r, p) => withAttributes(r, p, (a, k) => (a[k] = p % 2 ? "****" : `${String(a[k])}****`)),
  hashAttribute: (r, p) =>
    withAttributes(r, p, (a, k) => (a[k] = createHash("sha256").update(String(a[k])).digest("hex"))),
  redactionSummary: (r, p) => withAttributes(r, p, (a, k) => (a["redaction.masked.keys"] = `x,${k}`)),
  duplicateSpan: (r, p) => [...r, r[p % r.length]!],
  orphan: (r, p) => {
    const i = p % r.length;
    const out = [...r];
    out[i] = { ...out[i]!, parentSpanId: "00000000000000ab" };
    return out;
  },
  failSpan: (r, p) => {
    const i = p % r.length;
    const out = [...r];
    out[i] = { ...out[i]!, status: { code: "error", message: "boom" } };
    return out;
  },
  renameAttribute: (r, p, t) =>
    withAttributes(r, p, (a, k) => {
      a[`${k}${t}`] = a[k];
      delete a[k];
    }),
  setAttribute: (r, p, t) => withAttributes(r, p, (a, k) => (a[k] = t)),
  escapeMarkers: (r, p) => rewritePayload(r, p, (s) => s.replace(/tool_call/g, "tool\\u005fcall")),
  duplicateKey: (r, p) => rewritePayload(r, p, (s) => s.replace(/"id":"([^"]*)"/, '"id":"$1","id":"other"')),
  extraCall: (r, p) =>
    rewritePayload(r, p, (s) =>
      s.replace(/\[/, '[{"type":"function_call","call_id":"c-extra","name":"wire_money","arguments":"{}"},'),
    ),
  callIdChange: (r, p) => rewritePayload(r, p, (s) => s.replace(/(call_?[A-Za-z0-9_-]*)/, "$1x")),
  finishMarker: (r, p) => rewritePayload(r, p, (s) => s.replace(/"tool_call"/, '"function"')),
  // A guardrail's verdict rewritten: shapes a lenient or first-key reader would take for a decision,
  // shapes the mapper reads, and a decision the redaction summary lists as masked.
  guardrailTamper: (r, p) => {
    const i = r.findIndex(
      (x) =>
        typeof x.attributes["output.value"] === "string" &&
        x.attributes["output.value"].includes('"decision"'),
    );
    if (i < 0) return r;
    const variants = [
      '{"decision":"allow","decision":"maybe"}',
      '{"decision":"allow","d\\u0065cision":"maybe"}',
      '{"decision":"allow",}',
      '{"decision":"allow"} {"decision":"maybe"}',
      '{"decision":"maybe"}',
      "maybe",
      ' {"decision":"allow"}',
      '{"decision":"ALLOW "}',
      " Deny ",
    ];
    const masked = p % (variants.length + 1) === variants.length;
    const out = [...r];
    out[i] = {
      ...out[i]!,
      attributes: {
        ...out[i]!.attributes,
        ...(masked
          ? { "redaction.masked.keys": "output.value" }
          : { "output.value": variants[p % (variants.length + 1)]! }),
      },
    };
    return out;
  },
  // An Agents SDK model output held under the reader's second path, which the mapper reads too.
  agentsResponse: (r) =>
    r.map((x) => {
      if (!Object.hasOwn(x.attributes, "span_data.output") || x.attributes["span_data.type"] !== "generation")
        return x;
      const { "span_data.output": output, ...rest } = x.attributes;
      return { ...x, attributes: { ...rest, "span_data._response": output! } };
    }),
};

/** One tool span (one a model asked for, as the generator writes them) lost. */
function dropTool(records: SpanRecord[], pick: number): SpanRecord[] {
  const tools = records.filter((r) => r.kind === "tool" || r.attributes["span_data.type"] === "function");
  const lost = at(tools, pick);
  return lost ? records.filter((r) => r !== lost) : records;
}

const damageArb = fc.array(
  fc.tuple(fc.constantFrom(...Object.keys(DAMAGES)), fc.nat(), fc.string({ maxLength: 6 })),
  { maxLength: 3 },
);

/** Every fact of every kind required, none maskable: the strictest profile. */
const EVERYTHING: Profile = {
  ...BUILTIN_PROFILES.reconstructable!,
  name: "everything",
  required: Object.fromEntries(Object.entries(FACTS_BY_KIND).filter(([k]) => k !== "other")),
};

const HOUR = 3_600_000_000_000n;

describe("the ClickHouse push-down", () => {
  let chdb: Awaited<ReturnType<typeof openTestChdb>>;
  let client: ClickHouseClient;
  const runs: { traceId: string; convention: string; records: SpanRecord[] }[] = [];

  beforeAll(async () => {
    chdb = await openTestChdb();
    client = chdb.client;
    await createExporterTables(client, { database: "settle" });
    const samples = fc.sample(fc.tuple(agentRunArb({ largeRate: 0 }), damageArb), {
      seed: 20261129,
      numRuns: 400,
    });
    for (const [run, damages] of samples) {
      let records = run.records;
      for (const [name, pick, text] of damages) {
        if (records.length === 0) break;
        records = DAMAGES[name]!(records, pick, text);
      }
      if (records.length === 0) continue;
      runs.push({ traceId: run.traceId, convention: run.convention, records });
    }
    // Damages the random mix rarely lands where they matter, applied to every run of a sample: each
    // guardrail verdict shape in turn (OpenInference runs whose guardrails all record one), and Agents
    // SDK model outputs under the reader's second path (`span_data._response`) with a tool span lost.
    const targeted: [string, Partial<SynthOptions>, Damage][] = [
      ["guardrail", { convention: "openinference", policyRate: 1 }, DAMAGES.guardrailTamper!],
      [
        "agents-response",
        { convention: "openai-agents" },
        (r, p) => dropTool(DAMAGES.agentsResponse!(r, p, ""), p),
      ],
    ];
    for (const [n, [label, options, damage]] of targeted.entries()) {
      const sample = fc.sample(fc.tuple(agentRunArb({ largeRate: 0, ...options }), damageArb), {
        seed: 20261130 + n,
        numRuns: 80,
      });
      for (const [i, [run, damages]] of sample.entries()) {
        let records = damage(run.records, i, "");
        for (const [name, pick, text] of damages.slice(0, 1))
          if (records.length > 0) records = DAMAGES[name]!(records, pick, text);
        if (records.length > 0) runs.push({ traceId: run.traceId, convention: label, records });
      }
    }
    // Each run its own trace: samples drawn from one seed would share trace ids.
    expect(new Set(runs.map((r) => r.traceId)).size).toBe(runs.length);
    await insertRecords(
      client,
      "settle",
      runs.flatMap((r) => r.records),
    );
  }, 120_000);

  afterAll(async () => chdb?.close());

  /** SQL's verdict (settled or not) and node's verdict on the same stored rows of each run in `database`. */
  async function judged(database: string, profile: Profile) {
    const result = await client.query({
      query: `SELECT ${READ_COLUMNS} FROM {db:Identifier}.otel_traces`,
      query_params: { db: database },
      format: "JSONEachRow",
    });
    const byTrace = new Map<string, SpanRecord[]>();
    let latest = 0n;
    for (const row of (await result.json()) as StoredRow[]) {
      const record = recordOfRow(row);
      if (BigInt(record.end) > latest) latest = BigInt(record.end);
      const list = byTrace.get(row.TraceId) ?? [];
      list.push(record);
      byTrace.set(row.TraceId, list);
    }
    const now = latest + HOUR;
    const sql = await client.query({
      query: `SELECT TraceId, settled, agent, rootService, toString(start) AS start FROM (${runSelect(profile)})`,
      query_params: {
        db: database,
        table: "otel_traces",
        lo: "0",
        now: String(now),
        from: "0",
        to: String(now),
        everyRun: false,
        forced: [],
      },
      format: "JSONEachRow",
    });
    const rows = (await sql.json()) as {
      TraceId: string;
      settled: boolean;
      agent: string;
      rootService: string;
      start: string;
    }[];
    expect(rows.length).toBe(byTrace.size);
    return rows.map((row) => {
      const facts = runFactsOf(row.TraceId, mergeCopies(byTrace.get(row.TraceId)!), profile);
      const verdict = judgeRun(facts, { now, graceNs: HOUR / 4n }).verdict;
      // The property: a run the query settles is one node finds whole, with the same agent and service.
      if (row.settled) {
        expect({ trace: row.TraceId, verdict }).toEqual({ trace: row.TraceId, verdict: "reconstructable" });
        expect([row.agent, row.rootService, row.start]).toEqual([
          facts.agent,
          facts.service,
          String(facts.start),
        ]);
      }
      return { traceId: row.TraceId, settled: row.settled, verdict };
    });
  }

  for (const profile of [BUILTIN_PROFILES.reconstructable!, BUILTIN_PROFILES["eu-ai-act"]!, EVERYTHING]) {
    it(`settles only runs node finds reconstructable (${profile.name})`, async () => {
      const tally = new Map<string, { whole: number; settled: number }>();
      for (const run of await judged("settle", profile)) {
        const convention = runs.find((r) => r.traceId === run.traceId)?.convention ?? "?";
        const t = tally.get(convention) ?? { whole: 0, settled: 0 };
        if (run.verdict === "reconstructable") t.whole++;
        if (run.settled) t.settled++;
        tally.set(convention, t);
      }
      // The push-down earns its keep: most runs node finds whole never leave the database.
      const share = (c: string) => tally.get(c)!.settled / Math.max(1, tally.get(c)!.whole);
      for (const c of ["genai", "native", "ai-sdk", ...(profile === EVERYTHING ? [] : ["openinference"])])
        expect(share(c), JSON.stringify(Object.fromEntries(tally))).toBeGreaterThan(0.8);
      // Agents SDK function spans carry no call id: only its runs without tool calls settle.
      expect(tally.get("openai-agents")!.settled).toBeGreaterThan(0);
      // A guardrail whose output states its decision plainly is read in SQL.
      expect(tally.get("guardrail")!.settled).toBeGreaterThan(0);
    });
  }

  it("never settles a run whose payload a stricter or last-key reader reads differently", async () => {
    const call = '{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}';
    const message = (parts: string) => `[{"role":"assistant","parts":[${parts}]}]`;
    const genai: Record<string, string> = {
      "a second id, which JSON.parse keeps": message(`${call},"id":"call_9"}`),
      "an escaped marker hiding a second call": message(
        `${call}},{"type":"tool\\u005fcall","id":"call_8","name":"wire_money","arguments":{}}`,
      ),
      "a Responses API call beside it": message(
        `${call}},{"type":"function_call","call_id":"call_7","name":"wire_money","arguments":"{}"}`,
      ),
    };
    for (const payload of Object.values(genai)) expect(() => JSON.parse(payload)).not.toThrow();
    const decisions = [
      '{"decision":"allow","decision":"maybe"}',
      '{"decision":"allow","d\\u0065cision":"maybe"}',
      '{"decision":"allow",}',
      '{"decision":"allow"} trailing',
    ];
    const cases: SpanRecord[][] = [];
    for (const [i, payload] of Object.values(genai).entries()) {
      cases.push(
        genAiRun().records.map((r) => ({
          ...r,
          traceId: `a${i}`.padEnd(32, "0"),
          attributes:
            r.attributes["gen_ai.output.messages"] &&
            String(r.attributes["gen_ai.output.messages"]).includes("tool_call")
              ? { ...r.attributes, "gen_ai.output.messages": payload }
              : r.attributes,
        })),
      );
    }
    for (const [i, decision] of decisions.entries()) {
      cases.push(
        openInferenceRun().records.map((r) => ({
          ...r,
          traceId: `b${i}`.padEnd(32, "0"),
          attributes:
            r.attributes["openinference.span.kind"] === "GUARDRAIL"
              ? { ...r.attributes, "output.value": decision }
              : r.attributes,
        })),
      );
    }
    await createExporterTables(client, { database: "crafted" });
    await insertRecords(client, "crafted", cases.flat());
    const results = await judged("crafted", BUILTIN_PROFILES.reconstructable!);
    // Each is a run node finds incomplete: the SQL must have sent every one to node.
    expect(results.map((r) => [r.traceId.slice(0, 2), r.verdict, r.settled]).sort()).toEqual(
      [...Object.keys(genai).map((_, i) => `a${i}`), ...decisions.map((_, i) => `b${i}`)].map((t) => [
        t,
        "incomplete",
        false,
      ]),
    );
  });
});
