import {
  AI_SDK_KEYS,
  deriveActions,
  factKeys,
  GENAI_KEYS,
  OPENINFERENCE_KEYS,
} from "../conventions/index.js";
import type { Action, ActionKind, FactName } from "../model/action.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import { compareNanos } from "../model/time.js";
import { requiredFacts } from "../reconstruct/compare.js";
import { redactionSummary, type StoredState, storedState } from "./stored-value.js";

/** An action as a reason names it. */
export interface ActionRef {
  readonly kind: ActionKind;
  readonly name: string;
  readonly spanId?: string;
}

/** A required fact of a stored action that is absent, or present but masked or hashed. */
export interface FactFinding {
  readonly action: ActionRef;
  readonly fact: FactName;
  readonly state: "missing" | Exclude<StoredState, "present">;
  /** The attribute key the convention keeps the fact in (the one read, or the one expected). */
  readonly key?: string;
  /** The record's redaction summary names the key as deleted or masked. */
  readonly summary: boolean;
}

/**
 * What a store shows about one run, from its stored spans alone: the structure (root, missing parents),
 * the cross-layer accounting of tool calls, and the required facts that are missing or masked. A store
 * that groups runs itself (a database) may produce these directly; the verdict is written from them.
 */
export interface RunFacts {
  readonly traceId: string;
  readonly service: string;
  readonly agent: string;
  /** The root's start, else the earliest span's (unix ns). */
  readonly start: bigint;
  /** The earliest stored span's start and the latest stored span's end (unix ns). */
  readonly earliest: bigint;
  readonly latest: bigint;
  readonly spans: number;
  readonly root?: { readonly spanId: string; readonly name: string };
  /** Parent span ids no stored span has, with the spans that name them; earliest child first. */
  readonly missingParents: readonly {
    readonly parentSpanId: string;
    readonly children: readonly ActionRef[];
  }[];
  /** Tool calls a model asked for that no tool span or blocking decision accounts for. */
  readonly unaccounted: readonly {
    readonly name: string;
    readonly callId?: string;
    readonly requestedBy?: string;
  }[];
  /** The tool calls stored spans show executed: what a write-ahead ledger's calls are matched against. */
  readonly tools: readonly { readonly name: string; readonly callId?: string; readonly spanId?: string }[];
  /** Model calls evidenced only indirectly (token usage on a turn or a run) with no LLM span. */
  readonly unrecordedModelCalls: readonly { readonly name: string; readonly evidenceSpanId?: string }[];
  readonly facts: readonly FactFinding[];
  /** Indices of the stores that hold spans of this run. */
  readonly stores: readonly number[];
}

const LINKS: ReadonlySet<FactName> = new Set(["record", "traceId", "parent"]);

function ref(action: Action): ActionRef {
  return { kind: action.kind, name: action.name, ...(action.spanId ? { spanId: action.spanId } : {}) };
}

/** Keys that name the agent on spans below the agent span too (the AI SDK puts its functionId on every span). */
export const AGENT_KEYS = [
  AI_SDK_KEYS.agentName[0],
  ...GENAI_KEYS.agentName,
  ...OPENINFERENCE_KEYS.agentName,
];

/**
 * The run's agent: the name the earliest agent action carries (its root's, in every convention read);
 * without an agent span (a run whose root is missing or not yet written), the name the earliest span
 * carrying one has. `records` are in start order.
 */
function agentName(actions: readonly Action[], records: readonly SpanRecord[]): string {
  const named = actions.find((a) => a.kind === "agent" && a.hasRecord)?.name;
  if (named !== undefined) return named;
  for (const r of records) {
    for (const key of AGENT_KEYS) {
      const value = Object.hasOwn(r.attributes, key) ? r.attributes[key] : undefined;
      if (typeof value === "string" && value !== "") return value;
    }
  }
  return "";
}

function serviceName(record: SpanRecord | undefined): string {
  const value =
    record && Object.hasOwn(record.resource, "service.name") ? record.resource["service.name"] : undefined;
  return typeof value === "string" ? value : "";
}

/** Adds to `out` the required facts of a stored action that are missing, masked or hashed. */
function factFindings(action: Action, record: SpanRecord, profile: Profile, out: FactFinding[]): void {
  const maskable = profile.maskable[action.kind] ?? [];
  const summary = redactionSummary(record.attributes);
  for (const fact of requiredFacts(action, profile)) {
    if (LINKS.has(fact)) continue;
    const value = action.facts[fact];
    const key = action.sources[fact] ?? factKeys(action.convention, action.kind, fact)[0];
    const listed = key !== undefined && (summary.deleted.has(key) || summary.masked.has(key));
    if (value === undefined) {
      out.push({ action: ref(action), fact, state: "missing", ...(key ? { key } : {}), summary: listed });
      continue;
    }
    const state = storedState(value, fact, key !== undefined && summary.masked.has(key));
    if (state === "present" || maskable.includes(fact)) continue;
    out.push({ action: ref(action), fact, state, ...(key ? { key } : {}), summary: listed });
  }
}

/** Start order, then span id. */
function byStart(a: SpanRecord, b: SpanRecord): number {
  const order = compareNanos(a.start, b.start);
  if (order !== 0) return order;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** The action each span id stands for (the last, for a shared id), and the span of each llm action. */
interface ActionIndex {
  readonly named: ReadonlyMap<string, Action>;
  readonly llmSpan: ReadonlyMap<string, string | undefined>;
}

function actionIndex(actions: readonly Action[]): ActionIndex {
  const named = new Map<string, Action>();
  const llmSpan = new Map<string, string | undefined>();
  for (const a of actions) {
    if (a.spanId) named.set(a.spanId, a);
    if (a.kind === "llm") llmSpan.set(a.id, a.spanId ?? a.parentSpanId);
  }
  return { named, llmSpan };
}

/**
 * The facts of one run from its stored records (one record per span id: see `mergeCopies`). Pure; the
 * tool-call accounting is the check engine's own (`deriveActions`), so audit and check agree on it.
 */
export function runFactsOf(
  traceId: string,
  stored: readonly SpanRecord[],
  profile: Profile,
  stores: readonly number[] = [],
): RunFacts {
  // Start order, then span id: the facts don't depend on the order a store happened to hold the records in.
  const records = [...stored].sort(byStart);
  const byId = new Map<string, SpanRecord>();
  for (const r of records) byId.set(r.spanId, r);
  let root: SpanRecord | undefined;
  const earliestRecord: SpanRecord | undefined = records[0];
  let latestEnd = "0";
  const missing = new Map<string, { first: bigint; children: ActionRef[] }>();
  // Records are in start order: the first is the earliest, the first without a parent the root, and
  // the first child naming a missing parent the earliest one.
  for (const r of records) {
    if (compareNanos(r.end, latestEnd) > 0) latestEnd = r.end;
    if (r.parentSpanId === undefined) {
      if (!root) root = r;
    } else if (!byId.has(r.parentSpanId)) {
      let entry = missing.get(r.parentSpanId);
      if (!entry) {
        entry = { first: BigInt(r.start), children: [] };
        missing.set(r.parentSpanId, entry);
      }
      entry.children.push({ kind: r.kind, name: r.name, spanId: r.spanId });
    }
  }
  const earliest = earliestRecord ? BigInt(earliestRecord.start) : undefined;
  const latest = BigInt(latestEnd);
  const actions = deriveActions(records);
  // Built only for a run with something missing to name: most runs have nothing.
  let index: ActionIndex | undefined;
  const indexed = () => (index ??= actionIndex(actions));
  // Earliest first: without a stored root, the first missing parent is the root's place.
  const missingParents =
    missing.size === 0
      ? []
      : [...missing]
          .sort((a, b) => (a[1].first < b[1].first ? -1 : a[1].first > b[1].first ? 1 : 0))
          .map(([parentSpanId, { children }]) => {
            const { named } = indexed();
            return {
              parentSpanId,
              children: children.map((c) => (named.has(c.spanId!) ? ref(named.get(c.spanId!)!) : c)),
            };
          });
  const unaccounted = [];
  const tools = [];
  const unrecordedModelCalls = [];
  const facts: FactFinding[] = [];
  for (const action of actions) {
    if (!action.hasRecord) {
      if (action.kind === "tool") {
        const by = action.requestedBy ? indexed().llmSpan.get(action.requestedBy) : undefined;
        const callId = typeof action.facts.callId === "string" ? action.facts.callId : undefined;
        unaccounted.push({
          name: action.name,
          ...(callId ? { callId } : {}),
          ...(by ? { requestedBy: by } : {}),
        });
      } else if (action.kind === "llm") {
        unrecordedModelCalls.push({
          name: action.name,
          ...(action.parentSpanId ? { evidenceSpanId: action.parentSpanId } : {}),
        });
      }
      continue;
    }
    if (action.kind === "tool") {
      const callId = typeof action.facts.callId === "string" ? action.facts.callId : undefined;
      tools.push({ name: action.name, ...(callId ? { callId } : {}), spanId: action.spanId! });
    }
    factFindings(action, byId.get(action.spanId!)!, profile, facts);
  }
  const first = root ?? earliestRecord;
  return {
    traceId,
    service: serviceName(first),
    agent: agentName(actions, records),
    start: first ? BigInt(first.start) : 0n,
    earliest: earliest ?? 0n,
    latest,
    spans: records.length,
    ...(root ? { root: { spanId: root.spanId, name: root.name } } : {}),
    missingParents,
    unaccounted,
    tools,
    unrecordedModelCalls,
    facts,
    stores,
  };
}
