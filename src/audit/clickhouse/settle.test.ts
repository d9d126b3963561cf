import { createHash } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FACTS_BY_KIND } from "../../model/action.js";
import type { Profile } from "../../model/profile.js";
import type { SpanRecord } from "../../model/record.js";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { agentRunArb } from "../../synth/agent-run.js";
import { judgeRun } from "../judge.js";
import { mergeCopies } from "../merge-copies.js";
import { runFactsOf } from "../run-facts.js";
import { READ_COLUMNS, recordOfRow, type StoredRow } from "./exporter-rows.js";
import { runSelect } from "./run-query.js";
import { createExporterTables, insertRecords, openTestChdb } from "./testing.js";

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
};

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
    await insertRecords(
      client,
      "settle",
      runs.flatMap((r) => r.records),
    );
  }, 120_000);

  afterAll(async () => chdb?.close());

  async function stored(): Promise<Map<string, SpanRecord[]>> {
    const result = await client.query({
      query: `SELECT ${READ_COLUMNS} FROM settle.otel_traces`,
      format: "JSONEachRow",
    });
    const byTrace = new Map<string, SpanRecord[]>();
    for (const row of (await result.json()) as StoredRow[]) {
      const list = byTrace.get(row.TraceId) ?? [];
      list.push(recordOfRow(row));
      byTrace.set(row.TraceId, list);
    }
    return byTrace;
  }

  for (const profile of [BUILTIN_PROFILES.reconstructable!, BUILTIN_PROFILES["eu-ai-act"]!, EVERYTHING]) {
    it(`settles only runs node finds reconstructable (${profile.name})`, async () => {
      const byTrace = await stored();
      let latest = 0n;
      for (const records of byTrace.values())
        for (const r of records) if (BigInt(r.end) > latest) latest = BigInt(r.end);
      const now = latest + HOUR;
      const result = await client.query({
        query: `SELECT TraceId, settled, agent, rootService, toString(start) AS start FROM (${runSelect(profile)})`,
        query_params: {
          db: "settle",
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
      const rows = (await result.json()) as {
        TraceId: string;
        settled: boolean;
        agent: string;
        rootService: string;
        start: string;
      }[];
      expect(rows.length).toBe(byTrace.size);
      const tally = new Map<string, { whole: number; settled: number }>();
      for (const row of rows) {
        const records = mergeCopies(byTrace.get(row.TraceId)!);
        const facts = runFactsOf(row.TraceId, records, profile);
        const verdict = judgeRun(facts, { now, graceNs: HOUR / 4n }).verdict;
        const convention = runs.find((r) => r.traceId === row.TraceId)?.convention ?? "?";
        const t = tally.get(convention) ?? { whole: 0, settled: 0 };
        if (verdict === "reconstructable") t.whole++;
        if (row.settled) {
          t.settled++;
          expect({ trace: row.TraceId, verdict }).toEqual({ trace: row.TraceId, verdict: "reconstructable" });
          expect([row.agent, row.rootService, row.start]).toEqual([
            facts.agent,
            facts.service,
            String(facts.start),
          ]);
        }
        tally.set(convention, t);
      }
      // The push-down earns its keep: most runs node finds whole never leave the database.
      const share = (c: string) => tally.get(c)!.settled / Math.max(1, tally.get(c)!.whole);
      console.log(profile.name, JSON.stringify(Object.fromEntries(tally)));
      for (const c of ["genai", "native", "ai-sdk"]) expect(share(c)).toBeGreaterThan(0.8);
    });
  }
});
