import { z } from "zod";
import { InputError, parserMessage } from "../errors.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { readInputFile } from "../files/read-input.js";
import { type AgentSummary, type Episode, EpisodeSchema } from "./schema.js";

/** The `--state` file: every alert episode the audits have seen, oldest first. */
export const AuditStateSchema = z.strictObject({
  version: z.literal(1),
  episodes: z.array(EpisodeSchema),
});
export type AuditState = z.infer<typeof AuditStateSchema>;

const key = (e: { service: string; agent: string }, kind: string) =>
  `${e.service}\u0000${e.agent}\u0000${kind}`;

function merge(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  const out = { ...into };
  for (const [code, n] of Object.entries(from)) out[code] = (out[code] ?? 0) + n;
  return out;
}

/**
 * Whether a rate episode's failure goes on although its alert no longer fires. The alert tests the
 * window against the baseline, and the baseline takes the failure in as it goes on: once half the
 * baseline's runs are incomplete no rate can be twice it, and the alert stops while every run still
 * fails. So the rate has returned only when the window's finished runs are incomplete at less than
 * twice the rate the alert first fired against. A window without finished runs ends the episode as
 * before: runs that stop are the silence alert's to report.
 */
function stillFailing(e: Episode, agent: AgentSummary | undefined): boolean {
  if (e.kind !== "rate" || e.baselineRate === undefined || e.baselineRate === null) return false;
  const rate = agent?.incompleteRate ?? null;
  return rate !== null && rate >= 2 * e.baselineRate;
}

/**
 * Turns this audit's alerts into episodes (PCI DSS 10.7.3: the failure's start, end, and what it was):
 * an alert with no open episode opens one at the window's end; a firing alert extends its episode
 * (peak rate, reasons, audits); an open episode whose alert no longer fires is closed at the window's
 * end — a silence episode only once the agent has runs again, a rate episode only once the rate has
 * returned (`stillFailing`). An audit of a window the state has already seen changes nothing, so
 * re-running it is harmless. Pure.
 */
export function updateEpisodes(
  previous: readonly Episode[],
  agents: readonly AgentSummary[],
  at: string,
): Episode[] {
  const firing = new Map<string, AgentSummary>();
  const active = new Set<string>();
  const byAgent = new Map<string, AgentSummary>();
  for (const a of agents) {
    byAgent.set(key(a, "rate"), a);
    if (a.alert) firing.set(key(a, a.alert.kind), a);
    if (a.runs.reconstructable + a.runs.incomplete + a.runs.pending > 0) active.add(key(a, "silence"));
  }
  const episodes: Episode[] = [];
  const open = new Set<string>();
  for (const e of previous) {
    const k = key(e, e.kind);
    if (e.end !== null || e.lastSeen >= at) {
      if (e.end === null) open.add(k);
      episodes.push(e);
      continue;
    }
    const agent = firing.get(k);
    if (agent) {
      open.add(k);
      const rate = agent.alert?.kind === "rate" ? agent.alert.rate : null;
      episodes.push({
        ...e,
        peakRate: rate === null ? e.peakRate : Math.max(rate, e.peakRate ?? 0),
        reasons: merge(e.reasons, agent.reasons),
        audits: e.audits + 1,
        lastSeen: at,
      });
    } else if (e.kind === "silence" && !active.has(k)) {
      open.add(k);
      episodes.push({ ...e, audits: e.audits + 1, lastSeen: at });
    } else if (stillFailing(e, byAgent.get(k))) {
      open.add(k);
      const current = byAgent.get(k);
      const rate = current?.incompleteRate ?? null;
      episodes.push({
        ...e,
        peakRate: rate === null ? e.peakRate : Math.max(rate, e.peakRate ?? 0),
        reasons: current ? merge(e.reasons, current.reasons) : e.reasons,
        audits: e.audits + 1,
        lastSeen: at,
      });
    } else {
      episodes.push({ ...e, end: at, lastSeen: at });
    }
  }
  for (const [k, agent] of firing) {
    if (open.has(k)) continue;
    episodes.push({
      service: agent.service,
      agent: agent.agent,
      kind: agent.alert!.kind,
      start: at,
      end: null,
      peakRate: agent.alert!.kind === "rate" ? agent.alert!.rate : null,
      baselineRate: agent.alert!.kind === "rate" ? agent.alert!.baselineRate : null,
      reasons: { ...agent.reasons },
      audits: 1,
      lastSeen: at,
    });
  }
  return episodes;
}

/** Reads the state file; a missing file is an empty state, a damaged one bad input naming it. */
export async function readAuditState(file: string): Promise<AuditState> {
  let text: string;
  try {
    text = await readInputFile(file, "the state file");
  } catch (err) {
    if (err instanceof InputError && err.code === "file-not-found") return { version: 1, episodes: [] };
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError("bad-state", `the state file is not valid JSON: ${parserMessage(err)}`, { file });
  }
  const parsed = AuditStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError("bad-state", `not a trailcheck audit state file: ${issue.message}`, {
      file,
      field: issue.path.join("."),
    });
  }
  return parsed.data;
}

/** Writes the state file atomically: a reader (or a crash) never sees half of it. */
export async function writeAuditState(file: string, state: AuditState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
