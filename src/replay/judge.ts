import type { Gap, RunVerdict } from "../model/gap.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import { checkRecords } from "../reconstruct/check.js";
import { type GroundTruth, instrumentationGaps } from "./ground-truth.js";

const key = (g: Gap) => `${g.traceId}|${g.action.kind}|${g.action.spanId ?? g.action.name}|${g.fact}`;

/**
 * Judges a replay that ran: the instrumentation gaps (exchange vs. emitted records) first, then the
 * pipeline's gaps (emitted records through the logging config, as `check` does). A fact the agent
 * never emitted is reported once, as the replay found it. Pure.
 */
export function judgeReplay(
  truth: GroundTruth,
  records: readonly SpanRecord[],
  config: LoggingConfig,
  profile: Profile,
  auditAfterNs: bigint,
): { verdicts: RunVerdict[]; unknown: ReturnType<typeof checkRecords>["view"]["unknown"] } {
  const { verdicts, view } = checkRecords(records, config, profile, { auditAfterNs });
  const found = instrumentationGaps(truth, records);
  const seen = new Set(found.map(key));
  const byTrace = new Map<string, Gap[]>();
  for (const g of found) {
    const list = byTrace.get(g.traceId);
    if (list) list.push(g);
    else byTrace.set(g.traceId, [g]);
  }
  const out: RunVerdict[] = verdicts.map((v) => {
    const gaps = [...(byTrace.get(v.traceId) ?? []), ...v.gaps.filter((g) => !seen.has(key(g)))];
    byTrace.delete(v.traceId);
    return { traceId: v.traceId, reconstructable: gaps.length === 0, gaps };
  });
  // Gaps of a run that left no record at all.
  for (const [traceId, gaps] of byTrace) out.push({ traceId, reconstructable: false, gaps });
  return { verdicts: out, unknown: view.unknown };
}
