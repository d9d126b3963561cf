import { formatElapsed } from "../../model/duration.js";
import type { SpanRecord } from "../../model/record.js";
import { Fifo } from "../fifo.js";
import { type Emit, type ProcessorContext, RECORD, recordLoss } from "../processor.js";
import { TraceIdQueue, TraceIdSet } from "../trace-id-set.js";
import type { LossEvent } from "../types.js";
import { Lru } from "./lru.js";
import { decideTrace, type TailDecision } from "./tail-decision.js";
import type { TailPolicy } from "./tail-policies.js";

/** What the tail sampler's state machine needs from its compiled settings. */
export interface TailSettings {
  readonly policies: readonly TailPolicy[];
  /** How long after a trace's first span the model decides it (`decisionDelay` of decision_wait), in ns. */
  readonly wait: bigint;
  /**
   * When the collector can decide it, after its first span: in (start, end], where in that second depends
   * on the phase of its one-second ticker, which nothing recorded tells (`decisionWindow`).
   */
  readonly window: { readonly start: bigint; readonly end: bigint };
  /** decision_wait as the config gave it, and the delay where that differs, for messages. */
  readonly waitText: string;
  readonly numTraces: number;
  readonly sampleOnFirstMatch: boolean;
  readonly sampledCacheSize: number;
  readonly nonSampledCacheSize: number;
  /** Appended to a not-sampled detail when unsupported policies might have kept the trace. */
  readonly unsupportedNote: string;
}

/** A record waiting in arrival order to leave the processor; `keep` is unset until decided. */
interface Slot {
  readonly record: SpanRecord;
  keep?: boolean;
}

/** One trace in the tail sampler's buffer (`idToTrace`). */
interface Buffered {
  readonly firstArrival: bigint;
  /** Spans received and not yet released (ReceivedBatches). */
  spans: Slot[];
  decided?: {
    sampled: boolean;
    at: bigint;
    reason: string;
    /** The spans the decision saw plus late ones, to tell whether late spans would have changed it. */
    spans: SpanRecord[];
    losses: LossEvent[];
  };
  /** Set when late spans show the decision would have been different; reported once on the early losses. */
  flipped?: boolean;
  /**
   * What-if decisions asked for late spans so far, of spans with status ERROR and of others (bounded
   * apart, so a late error is still asked after many ordinary late spans).
   */
  whatIfs?: { errors: number; others: number };
}

/**
 * The tail sampler's state for one stream, record by record: spans arrive at their end time; a trace is
 * decided `decision_wait` (at least one second) after its first span arrived, on the spans arrived by then; later spans inherit
 * the decision while the trace is still buffered; past `num_traces` buffered traces the oldest is
 * evicted, and its later spans are decided afresh on their own (processor.go, with the default no-op
 * decision caches). Kept records leave in arrival order, as the whole-input model passed them on.
 */
export class TailBuffer {
  private readonly buffer = new Map<string, Buffered>();
  /**
   * Traces still in the buffer whose run is over (released): decided, and no span of them arrives any
   * more, so all they do is count toward num_traces until evicted — an id is all that is kept of them.
   */
  private readonly released = new TraceIdSet();
  private readonly deleteQueue = new TraceIdQueue();
  private readonly pending = new Fifo<{ id: string; at: bigint }>();
  private readonly evicted = new Set<string>();
  private readonly sampledCache: Lru;
  private readonly nonSampledCache: Lru;
  /** Records in arrival order until their fate is known. */
  private readonly out = new Fifo<Slot>();
  /** Slots per trace still in `out`. */
  private readonly queued = new Map<string, number>();
  private readonly waitText: string;

  constructor(
    private readonly s: TailSettings,
    private readonly ctx: ProcessorContext,
  ) {
    this.sampledCache = new Lru(s.sampledCacheSize);
    this.nonSampledCache = new Lru(s.nonSampledCacheSize);
    this.waitText = s.waitText;
  }

  push(record: SpanRecord, emit: Emit): void {
    const t = BigInt(record.end);
    // Spans that end exactly at a decision time arrive before it.
    this.decideBefore(t);
    this.arrive(record, t);
    this.flush(emit);
  }

  advance(time: bigint, emit: Emit): bigint {
    this.decideBefore(time);
    this.flush(emit);
    const first = this.out.peek();
    return first === undefined ? time : BigInt(first.record.end);
  }

  holds(traceId: string): boolean {
    return this.queued.has(traceId);
  }

  /** The run is over: keep only what other traces depend on (its place in the buffer, for eviction). */
  release(traceId: string): void {
    const entry = this.buffer.get(traceId);
    if (entry?.decided) {
      this.drop(traceId, entry);
      this.released.add(traceId);
    }
    this.evicted.delete(traceId);
  }

  private decideBefore(t: bigint): void {
    for (let p = this.pending.peek(); p !== undefined && p.at < t; p = this.pending.peek()) {
      this.pending.shift();
      this.decide(p.id);
    }
  }

  private enqueue(record: SpanRecord, keep?: boolean): Slot {
    const slot: Slot = keep === undefined ? { record } : { record, keep };
    this.out.push(slot);
    this.queued.set(record.traceId, (this.queued.get(record.traceId) ?? 0) + 1);
    return slot;
  }

  private flush(emit: Emit): void {
    for (let slot = this.out.peek(); slot?.keep !== undefined; slot = this.out.peek()) {
      this.out.shift();
      const id = slot.record.traceId;
      const left = this.queued.get(id)! - 1;
      if (left === 0) this.queued.delete(id);
      else this.queued.set(id, left);
      if (slot.keep) emit(slot.record);
    }
  }

  private decide(id: string): void {
    const entry = this.buffer.get(id);
    if (!entry || entry.decided) return;
    const spans = entry.spans.map((slot) => slot.record);
    const { d, decidedAt, count, note } = this.decideInWindow(id, entry.firstArrival, spans);
    const losses: LossEvent[] = [];
    if (!d.sampled) {
      const afresh = this.evicted.has(id)
        ? ", decided afresh on its own spans after the trace was evicted earlier"
        : "";
      const detail = `trace not sampled at ${formatElapsed(decidedAt - entry.firstArrival)} after its first span (decision_wait ${this.waitText}) on ${count} span(s): ${d.reason}${this.s.unsupportedNote}${afresh}${note}`;
      for (const r of spans) losses.push(recordLoss(this.ctx, r, "sampling", RECORD, detail));
    }
    for (const slot of entry.spans) slot.keep = d.sampled;
    entry.decided = {
      sampled: d.sampled,
      at: decidedAt,
      reason: d.reason,
      spans: d.sampled ? [] : spans,
      losses,
    };
    entry.spans = [];
    if (d.sampled) this.sampledCache.put(id);
    else this.nonSampledCache.put(id);
    if ((d.sampled && this.sampledCache.get(id)) || (!d.sampled && this.nonSampledCache.get(id))) {
      this.drop(id, entry);
    }
  }

  /**
   * The decision at the model's point (decision_wait after the first span), unless the collector, deciding
   * at another point of its window, would not sample the trace: spans that arrive in the window are part
   * of the decision for some phases of its ticker and late for others (a late span of a sampled trace is
   * kept), so the trace is kept only if every decision the window allows samples it. Rate limits are
   * spent once, by the model's own decision; the others only ask.
   */
  private decideInWindow(
    id: string,
    first: bigint,
    spans: readonly SpanRecord[],
  ): { d: TailDecision; decidedAt: bigint; count: number; note: string } {
    const nominalAt = first + this.s.wait;
    const startAt = first + this.s.window.start;
    const nominal = countArrivedBy(spans, nominalAt);
    const d = decideTrace(this.s.policies, id, spans.slice(0, nominal), this.s.sampleOnFirstMatch, {
      at: nominalAt,
      probe: false,
    });
    const from = countArrivedBy(spans, startAt);
    const phases = `the collector decides between ${formatElapsed(this.s.window.start)} and ${formatElapsed(this.s.window.end)} after the first span, as the phase of its one-second ticker falls`;
    if (!d.sampled) {
      if (nominal === spans.length) return { d, decidedAt: nominalAt, count: nominal, note: "" };
      // Lost whatever the phase, as some phases decide as the model did; say what a later phase does.
      const all = decideTrace(this.s.policies, id, spans, this.s.sampleOnFirstMatch, {
        at: first + this.s.window.end,
        probe: true,
      });
      const note = all.sampled
        ? ` — ${phases}; deciding at ${formatElapsed(this.s.window.end)} on ${spans.length} span(s) it samples the trace (${all.reason}), so whether it keeps the run depends on that phase`
        : "";
      return { d, decidedAt: nominalAt, count: nominal, note };
    }
    if (from === spans.length) return { d, decidedAt: nominalAt, count: nominal, note: "" };
    for (const n of decisionPoints(spans, from)) {
      if (n === nominal) continue;
      // Deciding after the n-th span arrived (or at the window's start) and before the next one.
      const at = n === from ? startAt : BigInt(spans[n - 1]!.end);
      const other = decideTrace(this.s.policies, id, spans.slice(0, n), this.s.sampleOnFirstMatch, {
        at,
        probe: true,
      });
      if (other.sampled) continue;
      const when = `${formatElapsed(at - first)}${n === from ? "" : " or a little later"}`;
      return {
        d: other,
        decidedAt: at,
        count: n,
        note: ` — ${phases}; deciding at ${when} it does not sample the trace, which at ${formatElapsed(nominalAt - first)} on ${nominal} span(s) it would (${d.reason})`,
      };
    }
    return { d, decidedAt: nominalAt, count: nominal, note: "" };
  }

  /**
   * Takes a trace out of the buffer, and its entry lets go of its spans and losses at once. An entry can
   * have been promoted to V8's old generation (the buffer's own table is, and a full collection promotes
   * whatever it finds alive); the young collector then takes what it references as live until the next
   * full collection, and a run's records held by a dead entry would be promoted and die in old space.
   */
  private drop(id: string, entry: Buffered): void {
    this.buffer.delete(id);
    entry.spans = [];
    entry.decided = undefined;
  }

  private evictOldest(): void {
    const id = this.deleteQueue.shift();
    if (id === undefined) return;
    // A released trace leaves the buffer with nothing to lose: its spans are all decided and gone.
    if (this.released.delete(id)) return;
    const entry = this.buffer.get(id);
    if (!entry) return;
    this.evicted.add(id);
    for (const slot of entry.spans) {
      slot.keep = false;
      recordLoss(
        this.ctx,
        slot.record,
        "sampling",
        RECORD,
        `trace evicted from the tail sampler's buffer before its decision: more than num_traces ${this.s.numTraces} traces were buffered`,
      );
    }
    this.drop(id, entry);
  }

  private late(id: string, entry: Buffered, s: SpanRecord, t: bigint): void {
    const decided = entry.decided!;
    if (decided.sampled) {
      this.enqueue(s, true);
      return;
    }
    this.enqueue(s, false);
    const after = formatElapsed(t - decided.at);
    let detail = `arrived ${after} after the trace was decided not sampled (decision_wait ${this.waitText} after its first span): ${decided.reason}`;
    decided.spans.push(s);
    // What-if only: rate limits are asked at the late span's arrival and keep nothing. At most
    // MAX_WHAT_IFS late spans of a trace are asked, as each is a decision over the whole trace (a trace of
    // many late spans would be quadratic); the later ones are lost all the same, without the remark.
    entry.whatIfs ??= { errors: 0, others: 0 };
    const asked = entry.whatIfs;
    const kind = s.status.code === "error" ? "errors" : "others";
    const withLate =
      asked[kind]++ < MAX_WHAT_IFS
        ? decideTrace(this.s.policies, id, decided.spans, this.s.sampleOnFirstMatch, { at: t, probe: true })
        : undefined;
    if (withLate?.sampled) {
      const what = s.status.code === "error" ? "a span with status ERROR" : "a span";
      detail += `; with this span the trace would have been sampled (${withLate.reason})`;
      if (!entry.flipped) {
        entry.flipped = true;
        const note = ` — ${what} (${s.name}) arrived ${after} after the decision; with it the trace would have been sampled (${withLate.reason})${s.status.code === "error" ? ": the failed run was sampled away because its error arrived late" : ""}`;
        for (const loss of decided.losses) loss.detail += note;
      }
      if (s.status.code === "error")
        detail += ": the failed run was sampled away because its error arrived after the decision";
    }
    recordLoss(this.ctx, s, "sampling", RECORD, detail);
  }

  private arrive(s: SpanRecord, t: bigint): void {
    const id = s.traceId;
    if (this.sampledCache.get(id)) {
      this.enqueue(s, true);
      return;
    }
    if (this.nonSampledCache.get(id)) {
      this.enqueue(s, false);
      recordLoss(
        this.ctx,
        s,
        "sampling",
        RECORD,
        "arrived after the trace was decided not sampled (decision cache)",
      );
      return;
    }
    let entry = this.buffer.get(id);
    if (!entry) {
      if (this.released.has(id))
        throw new Error(`a span of trace ${id} reached tail sampling after its run was released`);
      if (this.buffer.size + this.released.size >= this.s.numTraces) this.evictOldest();
      entry = { firstArrival: t, spans: [] };
      this.buffer.set(id, entry);
      this.deleteQueue.push(id);
      // Decided once no phase of the collector's ticker can still be deciding it.
      this.pending.push({ id, at: t + this.s.window.end });
    }
    if (entry.decided) this.late(id, entry, s, t);
    else entry.spans.push(this.enqueue(s));
  }
}

/**
 * The most late spans of a trace decided not sampled (with status ERROR, and others) that are asked whether
 * they would have changed the decision.
 */
const MAX_WHAT_IFS = 64;

/**
 * The most decision points of the window judged for one trace. Each is a decision over the trace's
 * spans, so judging every arrival would be quadratic in a trace whose spans keep arriving in that second.
 */
const MAX_DECISION_POINTS = 64;

/**
 * The prefixes of `spans` (counts) a decision in the window can see: from the spans arrived by its start to
 * all of them, split only between spans that arrive at different times. Past MAX_DECISION_POINTS, the first
 * and the last (where a policy that only gains or only loses by more spans — drop, span_count, the limits,
 * the attribute and status policies — is at its worst) and points spread evenly between them.
 */
function decisionPoints(spans: readonly SpanRecord[], from: number): number[] {
  const points: number[] = [];
  for (let n = from; n <= spans.length; n++) {
    if (n === from || n === spans.length || spans[n - 1]!.end !== spans[n]!.end) points.push(n);
  }
  if (points.length <= MAX_DECISION_POINTS) return points;
  const step = (points.length - 1) / (MAX_DECISION_POINTS - 1);
  return Array.from({ length: MAX_DECISION_POINTS }, (_, i) => points[Math.round(i * step)]!);
}

/** How many of the spans (in arrival order) arrived by `t`: a span that ends at `t` arrives before it. */
function countArrivedBy(spans: readonly SpanRecord[], t: bigint): number {
  let n = spans.length;
  while (n > 0 && BigInt(spans[n - 1]!.end) > t) n--;
  return n;
}
