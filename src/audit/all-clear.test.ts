import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { NS_PER_MS } from "../model/time.js";
import { startingAt } from "../testing/records.js";
import { genAiRun } from "../testing/runs.js";
import { runAuditCommand } from "./command.js";
import { AuditReportSchema } from "./schema.js";
import { StoreWriter } from "./store-writer.js";

// What must not read as an all-clear: a store the audit finds nothing in — an empty folder, a path the
// exporter doesn't write to, a store holding only other periods — from which no run, no rate and so no
// alert could come; a failure that goes on after the baseline has taken it in; and runs whose lost root
// would take them out of their agent's rate.

const NOW = "2026-01-15T10:00:00Z";
const NOW_NS = BigInt(Date.parse(NOW)) * NS_PER_MS;
const MINUTE = 60_000n * NS_PER_MS;
const HOUR = 60n * MINUTE;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "trailcheck-empty-store-"));
  /** Writes the GenAI fixture run at each start; `edit` may change or drop (undefined) a record. */
  const write = (
    name: string,
    starts: bigint[],
    edit: (r: SpanRecord, i: number) => SpanRecord | undefined = (r) => r,
  ) => {
    const writer = new StoreWriter({ layout: "file", dir: join(dir, name) });
    const records: SpanRecord[] = starts.flatMap((start, i) =>
      startingAt(genAiRun().records, start).flatMap((r) => {
        const edited = edit({ ...r, traceId: (i + 1).toString(16).padStart(32, "0") }, i);
        return edited ? [edited] : [];
      }),
    );
    records.sort((a, b) => (BigInt(a.end) < BigInt(b.end) ? -1 : 1));
    for (const r of records) writer.add(r);
    writer.close();
  };
  write("live", [NOW_NS - 30n * MINUTE, NOW_NS - 20n * MINUTE]);
  // Runs of a month before: the store has data, none of it in the window or its baseline.
  write("old-only", [NOW_NS - 30n * 24n * 60n * MINUTE]);
  mkdirSync(join(dir, "empty"));
  // Ten runs an hour from 00:00 to NOW (10:00); from 04:00 on every run is incomplete, and stays so.
  const hourly = Array.from({ length: 100 }, (_, i) => NOW_NS - 10n * HOUR + BigInt(i) * 6n * MINUTE);
  // A broken run lost its tool span: the model's request is unaccounted for.
  write("broke", hourly, (r, i) => (i >= 40 && r.name.startsWith("execute_tool") ? undefined : r));
  // Sixty runs an hour of one service's one agent, 07:00 to 10:00; in the last hour every third run
  // lost its root, the one span naming the agent in GenAI conventions.
  const minutely = Array.from({ length: 180 }, (_, i) => NOW_NS - 3n * HOUR + BigInt(i) * MINUTE);
  const shop = (r: SpanRecord): SpanRecord => ({ ...r, resource: { "service.name": "shop" } });
  write("lost-roots", minutely, (r, i) =>
    i >= 120 && i % 3 === 0 && r.parentSpanId === undefined ? undefined : shop(r),
  );
  // The same with two agents in the service: a rootless run can't be told to be either's.
  write("two-agents", minutely, (r, i) => {
    if (i >= 120 && i % 3 === 0 && r.parentSpanId === undefined) return undefined;
    const named = i % 2 === 1 && r.parentSpanId === undefined;
    return shop(named ? { ...r, attributes: { ...r.attributes, "gen_ai.agent.name": "news" } } : r);
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function audited(stores: string[], format = "text") {
  let out = "";
  const code = await runAuditCommand(
    { store: stores.map((s) => `file:${join(dir, s)}`), now: NOW, baseline: "1d", format },
    { cwd: dir, out: (s) => (out += s), err: () => {}, clock: () => new Date(NOW) },
  );
  return { code, out };
}

describe("a store with nothing to audit", () => {
  it("is exit 1 and says so, alone or beside a store that has runs", async () => {
    const empty = await audited(["empty"]);
    expect(empty.code).toBe(1);
    expect(empty.out).toContain("NOTHING TO AUDIT");
    expect(empty.out).not.toContain("no alert");

    const beside = await audited(["live", "empty"], "json");
    expect(beside.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(beside.out));
    expect(report.stores.map((s) => s.runs)).toEqual([2, 0]);
    // The store with runs is judged as always: both runs whole, no alert of an agent.
    expect(report.agents.map((a) => [a.runs.reconstructable, a.alert])).toEqual([[2, null]]);
  });

  it("counts a store that holds only other periods as empty", async () => {
    const old = await audited(["old-only"], "json");
    expect(old.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(old.out));
    expect(report.stores[0]).toMatchObject({ spans: expect.any(Number), runs: 0 });
    expect(report.stores[0]!.spans).toBeGreaterThan(0);
  });

  it("leaves a store whose runs were audited at exit 0", async () => {
    const live = await audited(["live"]);
    expect(live.code).toBe(0);
    expect(live.out).not.toContain("NOTHING TO AUDIT");
    expect(live.out).toContain("no alert");
  });
});

describe("what the page and the closing line call a verdict", () => {
  it("heads audit.html with what makes the audit exit 1, never a green no-alert", async () => {
    const output = join(dir, "out-empty");
    const code = await runAuditCommand(
      { store: [`file:${join(dir, "empty")}`], now: NOW, baseline: "1d", output },
      { cwd: dir, out: () => {}, err: () => {}, clock: () => new Date(NOW) },
    );
    expect(code).toBe(1);
    const html = await readFile(join(output, "audit.html"), "utf8");
    expect(html).toContain(
      '<div class="verdict gaps" id="verdict"><strong>1 store(s) with nothing to audit</strong>',
    );
    expect(html).not.toContain("no alert");
  });

  it("says an agent whose incomplete runs were too few to test was not tested, instead of no alert", async () => {
    // 09:00–10:00 of the broken store: all 10 runs incomplete, fewer than the 50 a rate alert needs.
    const text = await audited(["broke"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/ +10 +10 +0 +100\.0%/);
    expect(text.out).toContain(
      "NOT TESTED (no service.name) / weather: 10 of 10 finished runs incomplete; not tested for a rate alert, which needs 50 finished runs in the window (--min-runs)",
    );
    expect(text.out.trimEnd().split("\n").at(-1)).toBe("1 agent(s) with incomplete runs too few to test");
    expect(text.out).not.toContain("no alert");

    const output = join(dir, "out-untested");
    await runAuditCommand(
      { store: [`file:${join(dir, "broke")}`], now: NOW, baseline: "1d", output },
      { cwd: dir, out: () => {}, err: () => {}, clock: () => new Date(NOW) },
    );
    const html = await readFile(join(output, "audit.html"), "utf8");
    expect(html).toContain(
      '<div class="verdict warn" id="verdict"><strong>1 agent(s) with incomplete runs too few to test</strong>',
    );
    expect(html).toContain('<p class="untested">10 of 10 finished runs incomplete; not tested');
  });
});

describe("a failure that goes on", () => {
  it("keeps alerting, in the episode opened when it broke, after the baseline has taken the failure in", async () => {
    const state = join(dir, "state.json");
    const hourly = async (now: bigint) => {
      let out = "";
      const at = new Date(Number(now / NS_PER_MS)).toISOString();
      const code = await runAuditCommand(
        { store: [`file:${join(dir, "broke")}`], now: at, baseline: "2h", minRuns: "5", state },
        { cwd: dir, out: (s) => (out += s), err: () => {}, clock: () => new Date(at) },
      );
      return { code, out };
    };
    // The audit of 04:00–05:00 alerts against a whole baseline; two hours later the baseline is the
    // failure itself and no rate is twice it, but every run of the window is still incomplete: the
    // ceiling (half the runs) keeps the alert, and the episode is the one opened at 05:00.
    const first = await hourly(NOW_NS - 5n * HOUR);
    expect(first.code).toBe(1);
    expect(first.out).toContain("ALERT rate");
    expect(first.out).toContain("against a baseline of");
    await hourly(NOW_NS - 4n * HOUR);
    const later = await hourly(NOW_NS - 3n * HOUR);
    expect(later.out).toMatch(/ +10 +10 +0 +100\.0%/);
    expect(later.out).toContain("ALERT rate");
    expect(later.out).toContain("at least half of its runs cannot be reconstructed");
    expect(later.out).not.toContain("no alert");
    expect(later.code).toBe(1);
    const episodes = JSON.parse(await readFile(state, "utf8")).episodes;
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ end: null, audits: 3 });
  });
});

describe("a run whose root was lost", () => {
  const json = async (store: string) => {
    let out = "";
    const code = await runAuditCommand(
      { store: [`file:${join(dir, store)}`], now: NOW, baseline: "2h", format: "json" },
      { cwd: dir, out: (s) => (out += s), err: () => {}, clock: () => new Date(NOW) },
    );
    return { code, report: AuditReportSchema.parse(JSON.parse(out)) };
  };

  it("counts under the service's one agent, whose rate alerts on the loss", async () => {
    const { code, report } = await json("lost-roots");
    // Not a tally of its own beside a whole-looking agent: 15 finished rootless runs of 55 (the last
    // five are pending, younger than the grace) raise the agent's rate from a baseline of 0 in 120.
    expect(report.agents.map((a) => [a.service, a.agent, a.runs, a.alert?.kind ?? null])).toEqual([
      ["shop", "weather", { reconstructable: 40, incomplete: 15, pending: 5 }, "rate"],
    ]);
    expect(report.runs.filter((r) => r.verdict === "incomplete").every((r) => r.agent === "weather")).toBe(
      true,
    );
    expect(code).toBe(1);
  });

  it("stays under the service with no agent when the service has several", async () => {
    const { report } = await json("two-agents");
    expect(report.agents.map((a) => [a.agent, a.runs.incomplete + a.runs.pending]).sort()).toEqual([
      ["", 20],
      ["news", 0],
      ["weather", 0],
    ]);
  });
});
