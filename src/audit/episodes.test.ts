import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAuditState, updateEpisodes, writeAuditState } from "./episodes.js";
import type { AgentSummary } from "./schema.js";

function agent(name: string, alert: AgentSummary["alert"], windowRuns = 10): AgentSummary {
  return {
    service: "shop",
    agent: name,
    runs: { reconstructable: windowRuns, incomplete: 0, pending: 0 },
    baselineRuns: { reconstructable: 100, incomplete: 1, pending: 0 },
    incompleteRate: windowRuns > 0 ? 0 : null,
    baselineRate: 0.02,
    reasons: { "unaccounted-tool-call": 3 },
    alert,
    series: { from: "2026-01-08T09:00:00.000Z", step: "1h", finished: [], incomplete: [] },
  };
}
const rate = (r: number): AgentSummary["alert"] => ({
  kind: "rate",
  incomplete: 30,
  finished: 60,
  rate: r,
  baselineRate: 0.02,
  pValue: 1e-9,
  alpha: 0.001,
  message: "…",
});
const silence: AgentSummary["alert"] = {
  kind: "silence",
  baselineRuns: 5,
  lastRun: "2026-01-15T07:00:00.000Z",
  message: "…",
};

describe("alert episodes", () => {
  it("opens an episode when an alert fires, extends it while it fires and closes it when the rate returns", () => {
    const t1 = "2026-01-15T10:00:00.000Z";
    const t2 = "2026-01-15T11:00:00.000Z";
    const t3 = "2026-01-15T12:00:00.000Z";
    const one = updateEpisodes([], [agent("a", rate(0.5))], t1);
    expect(one).toEqual([
      expect.objectContaining({
        kind: "rate",
        start: t1,
        end: null,
        peakRate: 0.5,
        audits: 1,
        reasons: { "unaccounted-tool-call": 3 },
      }),
    ]);
    const two = updateEpisodes(one, [agent("a", rate(0.7))], t2);
    expect(two).toEqual([
      expect.objectContaining({
        start: t1,
        end: null,
        peakRate: 0.7,
        audits: 2,
        reasons: { "unaccounted-tool-call": 6 },
      }),
    ]);
    const three = updateEpisodes(two, [agent("a", null)], t3);
    expect(three).toEqual([expect.objectContaining({ start: t1, end: t3, peakRate: 0.7, audits: 2 })]);
    // A new alert after that is a new episode.
    expect(updateEpisodes(three, [agent("a", rate(0.4))], "2026-01-15T13:00:00.000Z")).toHaveLength(2);
  });

  it("keeps a rate episode open while the failure goes on after the baseline has taken it in", () => {
    // The alert fired against a 2% baseline. Later audits see every run incomplete still, but their
    // baseline holds the failure too (95%): no rate can be twice that, so the alert no longer fires.
    const failing = (incompleteRate: number | null): AgentSummary => ({
      ...agent("a", null),
      incompleteRate,
      baselineRate: 0.95,
    });
    const t = (h: number) => `2026-01-15T${String(h).padStart(2, "0")}:00:00.000Z`;
    const one = updateEpisodes([], [agent("a", rate(1))], t(10));
    expect(one[0]).toMatchObject({ baselineRate: 0.02, end: null });
    const two = updateEpisodes(one, [failing(1)], t(11));
    expect(two).toEqual([expect.objectContaining({ start: t(10), end: null, audits: 2, lastSeen: t(11) })]);
    // Still at twice the rate it fired against: open. Below it: the rate has returned.
    const three = updateEpisodes(two, [failing(0.04)], t(12));
    expect(three).toEqual([expect.objectContaining({ end: null, audits: 3 })]);
    expect(updateEpisodes(three, [failing(0.03)], t(13))[0]!.end).toBe(t(13));
    // Runs that stop end it as before: the silence alert reports them.
    expect(updateEpisodes(three, [failing(null)], t(13))[0]!.end).toBe(t(13));
  });

  it("closes an episode of a state file written before baseline rates were kept as it did then", () => {
    const [old] = updateEpisodes([], [agent("a", rate(1))], "2026-01-15T10:00:00.000Z");
    const { baselineRate: _, ...before } = old!;
    const next = updateEpisodes(
      [before],
      [{ ...agent("a", null), incompleteRate: 1 }],
      "2026-01-15T11:00:00.000Z",
    );
    expect(next).toEqual([expect.objectContaining({ end: "2026-01-15T11:00:00.000Z" })]);
  });

  it("changes nothing when the same window is audited again", () => {
    const t1 = "2026-01-15T10:00:00.000Z";
    const one = updateEpisodes([], [agent("a", rate(0.5))], t1);
    expect(updateEpisodes(one, [agent("a", rate(0.5))], t1)).toEqual(one);
  });

  it("keeps a silence episode open until the agent has runs again, even once its baseline is empty", () => {
    const one = updateEpisodes([], [agent("a", silence, 0)], "2026-01-15T10:00:00.000Z");
    const gone = updateEpisodes(one, [], "2026-01-23T10:00:00.000Z");
    expect(gone).toEqual([expect.objectContaining({ kind: "silence", end: null, audits: 2 })]);
    const back = updateEpisodes(gone, [agent("a", null, 3)], "2026-01-23T11:00:00.000Z");
    expect(back).toEqual([expect.objectContaining({ kind: "silence", end: "2026-01-23T11:00:00.000Z" })]);
  });

  it("reads a missing state file as empty, refuses a damaged one naming it, and writes it whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trailcheck-state-"));
    const file = join(dir, "state.json");
    expect(await readAuditState(file)).toEqual({ version: 1, episodes: [] });
    const episodes = updateEpisodes([], [agent("a", rate(0.5))], "2026-01-15T10:00:00.000Z");
    await writeAuditState(file, { version: 1, episodes });
    expect(await readAuditState(file)).toEqual({ version: 1, episodes });
    await writeFile(file, '{"version":1,"episodes":[{"kind":"rate"}]}');
    await expect(readAuditState(file)).rejects.toThrow(
      /state.json \(episodes.0.service\): not a trailcheck audit state file/,
    );
    await writeFile(file, "{");
    await expect(readAuditState(file)).rejects.toThrow(/state.json: the state file is not valid JSON/);
    expect(await readFile(file, "utf8")).toBe("{");
  });
});
