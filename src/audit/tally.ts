import { formatDuration } from "../model/duration.js";
import { type AlertSettings, baselineRate, rateAlert, silenceAlert } from "./alerts.js";
import type { Judgement } from "./judge.js";
import type { RunFacts } from "./run-facts.js";
import type { AgentSummary, AuditRun, Verdict, VerdictCounts } from "./schema.js";
import type { SettledRuns } from "./store.js";
import { type AuditWindow, isoTime } from "./window.js";

/** How many buckets the rate over time is drawn with, at most. */
const MAX_BUCKETS = 200;

const zero = (): VerdictCounts => ({ reconstructable: 0, incomplete: 0, pending: 0 });
const finished = (c: VerdictCounts) => c.reconstructable + c.incomplete;

interface AgentTally {
  readonly service: string;
  readonly agent: string;
  readonly window: VerdictCounts;
  readonly baseline: VerdictCounts;
  readonly reasons: Map<string, number>;
  readonly buckets: { finished: number; incomplete: number }[];
  lastBaselineRun?: bigint;
}

const VERDICT_RANK: Record<Verdict, number> = { incomplete: 0, pending: 1, reconstructable: 2 };

/** Worst first: incomplete, then pending; more reasons first; then by start. */
export function worstFirst(a: AuditRun, b: AuditRun): number {
  return (
    VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] ||
    b.reasons.length - a.reasons.length ||
    (a.start < b.start ? -1 : a.start > b.start ? 1 : a.traceId < b.traceId ? -1 : 1)
  );
}

/**
 * Counts judged runs per agent (service and agent name) in the window and the baseline, keeps the
 * window's runs worth listing, and decides each agent's alert. Runs outside `[baselineFrom, to)` are
 * not counted.
 */
export class AuditTally {
  readonly #agents = new Map<string, AgentTally>();
  /** Rootless runs that name no agent, per service, until `summarize` places them. */
  readonly #rootless = new Map<string, AgentTally>();
  readonly #rootlessRuns = new Set<AuditRun>();
  readonly #runs: AuditRun[] = [];
  readonly #bucketNs: bigint;
  readonly #buckets: number;

  constructor(
    private readonly window: AuditWindow,
    private readonly options: {
      readonly allRuns: boolean;
      readonly incidentCommand: (traceId: string) => string;
    },
  ) {
    const span = window.to - window.baselineFrom;
    const length = window.to - window.from;
    const minimum = (span + BigInt(MAX_BUCKETS) - 1n) / BigInt(MAX_BUCKETS);
    this.#bucketNs = length > minimum ? length : minimum;
    this.#buckets = Number((span + this.#bucketNs - 1n) / this.#bucketNs);
  }

  /** The length of the series' buckets (unix ns), counted from the baseline's start. */
  get bucketNs(): bigint {
    return this.#bucketNs;
  }

  /** Whether a run that starts at `start` is counted, and where. */
  placeOf(start: bigint): "window" | "baseline" | undefined {
    if (start >= this.window.from && start < this.window.to) return "window";
    if (start >= this.window.baselineFrom && start < this.window.from) return "baseline";
    return undefined;
  }

  #agent(service: string, agent: string, into = this.#agents): AgentTally {
    const key = `${service}\u0000${agent}`;
    let tally = into.get(key);
    if (!tally) {
      tally = {
        service,
        agent,
        window: zero(),
        baseline: zero(),
        reasons: new Map(),
        buckets: Array.from({ length: this.#buckets }, () => ({ finished: 0, incomplete: 0 })),
      };
      into.set(key, tally);
    }
    return tally;
  }

  /** Counts one judged run; returns the listed run when the window keeps it. */
  add(facts: RunFacts, judgement: Judgement): AuditRun | undefined {
    const place = this.placeOf(facts.start);
    if (place === undefined) return undefined;
    // A run whose root was not stored has no span naming its agent in conventions that name it on the
    // root alone (GenAI, OpenInference, the Agents SDK): it is counted apart until `summarize` knows
    // whose it can be.
    const unnamed = facts.agent === "" && facts.root === undefined;
    const tally = this.#agent(facts.service, facts.agent, unnamed ? this.#rootless : this.#agents);
    const counts = place === "window" ? tally.window : tally.baseline;
    counts[judgement.verdict]++;
    if (judgement.verdict !== "pending") {
      const bucket = tally.buckets[Number((facts.start - this.window.baselineFrom) / this.#bucketNs)];
      if (bucket) {
        bucket.finished++;
        if (judgement.verdict === "incomplete") bucket.incomplete++;
      }
    }
    if (place === "baseline") {
      if (tally.lastBaselineRun === undefined || facts.start > tally.lastBaselineRun)
        tally.lastBaselineRun = facts.start;
      return undefined;
    }
    for (const r of judgement.reasons) tally.reasons.set(r.code, (tally.reasons.get(r.code) ?? 0) + 1);
    if (judgement.verdict === "reconstructable" && !this.options.allRuns) return undefined;
    const run: AuditRun = {
      traceId: facts.traceId,
      service: facts.service,
      agent: facts.agent,
      start: isoTime(facts.start),
      verdict: judgement.verdict,
      reasons: judgement.reasons,
      ...(judgement.reasons.some((r) => r.code === "not-in-store")
        ? {}
        : { incident: this.options.incidentCommand(facts.traceId) }),
    };
    this.#runs.push(run);
    if (unnamed) this.#rootlessRuns.add(run);
    return run;
  }

  /**
   * Counts each service's rootless runs that name no agent under the service's agent, when the window
   * and the baseline show it one named agent only: a lost root must not move the run out of its
   * agent's rate (where the loss is an alert) into a tally of its own whose baseline is every such
   * run, incomplete by construction, against which no rate can ever alert. With several agents (or
   * none) the run can't be placed and stays under the service with no agent, as before.
   */
  #placeRootless(): Map<AuditRun, string> {
    const renamed = new Map<AuditRun, string>();
    const named = new Map<string, string[]>();
    for (const t of this.#agents.values())
      if (t.agent !== "") named.set(t.service, [...(named.get(t.service) ?? []), t.agent]);
    const target = new Map<string, string>();
    for (const r of this.#rootless.values()) {
      const agents = named.get(r.service) ?? [];
      const agent = agents.length === 1 ? agents[0]! : "";
      target.set(r.service, agent);
      const into = this.#agent(r.service, agent);
      for (const period of ["window", "baseline"] as const)
        for (const v of ["reconstructable", "incomplete", "pending"] as const)
          into[period][v] += r[period][v];
      for (const [code, n] of r.reasons) into.reasons.set(code, (into.reasons.get(code) ?? 0) + n);
      r.buckets.forEach((b, i) => {
        into.buckets[i]!.finished += b.finished;
        into.buckets[i]!.incomplete += b.incomplete;
      });
      if (
        r.lastBaselineRun !== undefined &&
        (into.lastBaselineRun === undefined || r.lastBaselineRun > into.lastBaselineRun)
      )
        into.lastBaselineRun = r.lastBaselineRun;
    }
    for (const run of this.#rootlessRuns) {
      const agent = target.get(run.service) ?? "";
      if (agent !== "") renamed.set(run, agent);
    }
    this.#rootless.clear();
    return renamed;
  }

  /**
   * Counts runs a store proved reconstructable itself, all in the period and bucket of `lastStart`;
   * nothing is listed for them (a store settles a run only when no run would be listed for it).
   */
  addSettled(group: SettledRuns): void {
    const place = this.placeOf(group.lastStart);
    if (place === undefined || group.runs <= 0) return;
    const tally = this.#agent(group.service, group.agent);
    (place === "window" ? tally.window : tally.baseline).reconstructable += group.runs;
    const bucket = tally.buckets[Number((group.lastStart - this.window.baselineFrom) / this.#bucketNs)];
    if (bucket) bucket.finished += group.runs;
    if (
      place === "baseline" &&
      (tally.lastBaselineRun === undefined || group.lastStart > tally.lastBaselineRun)
    )
      tally.lastBaselineRun = group.lastStart;
  }

  /** Per-agent summaries (alerts first, then the highest incomplete rate) and the listed runs, worst first. */
  summarize(settings: AlertSettings): { agents: AgentSummary[]; runs: AuditRun[] } {
    const renamed = this.#placeRootless();
    const agents = [...this.#agents.values()].map((t): AgentSummary => {
      const w = { incomplete: t.window.incomplete, finished: finished(t.window) };
      const b = { incomplete: t.baseline.incomplete, finished: finished(t.baseline) };
      const windowRuns = w.finished + t.window.pending;
      const baselineRuns = b.finished + t.baseline.pending;
      return {
        service: t.service,
        agent: t.agent,
        runs: { ...t.window },
        baselineRuns: { ...t.baseline },
        incompleteRate: w.finished > 0 ? w.incomplete / w.finished : null,
        baselineRate: baselineRate(b.incomplete, b.finished),
        reasons: Object.fromEntries([...t.reasons].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))),
        alert: rateAlert(w, b, settings) ?? silenceAlert(windowRuns, baselineRuns, t.lastBaselineRun),
        series: {
          from: isoTime(this.window.baselineFrom),
          step: formatDuration(this.#bucketNs),
          finished: t.buckets.map((x) => x.finished),
          incomplete: t.buckets.map((x) => x.incomplete),
        },
      };
    });
    agents.sort(
      (a, b) =>
        Number(b.alert !== null) - Number(a.alert !== null) ||
        (b.incompleteRate ?? -1) - (a.incompleteRate ?? -1) ||
        (a.service < b.service
          ? -1
          : a.service > b.service
            ? 1
            : a.agent < b.agent
              ? -1
              : a.agent > b.agent
                ? 1
                : 0),
    );
    const runs = this.#runs.map((r) => (renamed.has(r) ? { ...r, agent: renamed.get(r)! } : r));
    return { agents, runs: runs.sort(worstFirst) };
  }
}
