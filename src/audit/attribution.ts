import { createHash } from "node:crypto";
import { classifyRecord, factKeys } from "../conventions/index.js";
import type { ActionKind } from "../model/action.js";
import type { Attributes } from "../model/attributes.js";
import type { LoggingConfig } from "../model/logging-config.js";
import type { Convention, SpanRecord } from "../model/record.js";
import { type LossEvent, simulate } from "../pipeline/index.js";
import { firstLoss } from "../reconstruct/gap-collector.js";
import type { Explainer } from "./audit.js";
import type { Explanation, MissingThing } from "./judge.js";
import type { RunFacts } from "./run-facts.js";

/** The attributes that make a record of a kind in a convention (what `classifyRecord` reads). */
const MARKERS: Record<Convention, Partial<Record<ActionKind, Attributes>>> = {
  "ai-sdk": {
    agent: { "ai.operationId": "ai.generateText" },
    llm: { "ai.operationId": "ai.generateText.doGenerate" },
    tool: { "ai.operationId": "ai.toolCall" },
  },
  genai: {
    agent: { "gen_ai.operation.name": "invoke_agent" },
    llm: { "gen_ai.operation.name": "chat" },
    tool: { "gen_ai.operation.name": "execute_tool" },
  },
  openinference: {
    agent: { "openinference.span.kind": "AGENT" },
    llm: { "openinference.span.kind": "LLM" },
    tool: { "openinference.span.kind": "TOOL" },
  },
  "openai-agents": {
    agent: { "span_data.type": "agent" },
    llm: { "span_data.type": "generation" },
    tool: { "span_data.type": "function" },
  },
  native: {},
  unknown: {},
};

function marker(convention: Convention, kind: ActionKind): Attributes {
  return MARKERS[convention][kind] ?? { "trailcheck.kind": kind };
}

/** The span name each convention gives a record of a kind (filters and routing test it). */
function spanName(convention: Convention, kind: ActionKind, name: string): string {
  if (convention === "ai-sdk") {
    return kind === "tool"
      ? "ai.toolCall"
      : kind === "llm"
        ? "ai.generateText.doGenerate"
        : "ai.generateText";
  }
  if (convention === "genai" || convention === "native" || convention === "unknown") {
    return kind === "tool"
      ? `execute_tool ${name}`
      : kind === "llm"
        ? `chat ${name}`
        : `invoke_agent ${name}`;
  }
  return name;
}

const placeholderId = (seed: string) => createHash("sha256").update(seed).digest("hex").slice(0, 16);

/** A record the store should hold, made from what its neighbours show, to ask the pipeline about. */
function placeholder(
  like: SpanRecord,
  spanId: string,
  kind: ActionKind,
  name: string,
  extra: Attributes,
  parentSpanId: string | undefined,
): SpanRecord {
  const attributes = { ...marker(like.convention, kind), ...extra };
  const { kind: classified, convention } = classifyRecord(attributes);
  const { parentSpanId: _p, ...base } = like;
  return {
    ...base,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: spanName(like.convention, kind, name),
    kind: classified,
    convention,
    status: { code: "unset" },
    attributes,
    events: [],
  };
}

interface Probe {
  readonly thing: MissingThing;
  readonly spanId: string;
  readonly key?: string;
}

/** Puts a key the store lacks back on a copy of its record, with a stand-in value. */
function restore(record: SpanRecord, key: string): SpanRecord {
  return { ...record, attributes: { ...record.attributes, [key]: "<stand-in>" } };
}

/** The run as it would have been emitted, as far as the store shows: its records plus stand-ins. */
function probes(records: readonly SpanRecord[], facts: RunFacts): { truth: SpanRecord[]; probes: Probe[] } {
  const byId = new Map(records.map((r) => [r.spanId, r]));
  const truth = new Map(byId);
  const out: Probe[] = [];
  const first = records[0]!;
  for (const entry of facts.missingParents) {
    const child = byId.get(entry.children[0]!.spanId!) ?? first;
    const root = !facts.root && entry === facts.missingParents[0];
    // A policy decision hangs under the tool it governs; everything else under an agent.
    const kind: ActionKind = !root && entry.children.every((c) => c.kind === "policy") ? "tool" : "agent";
    const extra =
      kind === "agent" && facts.agent
        ? { [factKeys(child.convention, "agent", "name")[0] ?? "gen_ai.agent.name"]: facts.agent }
        : {};
    truth.set(
      entry.parentSpanId,
      placeholder(child, entry.parentSpanId, kind, `${kind} (not stored)`, extra, undefined),
    );
    out.push({ thing: { type: "parent", ...entry, root }, spanId: entry.parentSpanId });
  }
  for (const call of facts.unaccounted) {
    const asker = (call.requestedBy && byId.get(call.requestedBy)) || first;
    const id = placeholderId(`${facts.traceId}/tool/${call.callId ?? call.name}/${out.length}`);
    const extra: Attributes = {};
    const nameKey = factKeys(asker.convention, "tool", "name")[0];
    const idKey = factKeys(asker.convention, "tool", "callId")[0];
    if (nameKey) extra[nameKey] = call.name;
    if (idKey && call.callId) extra[idKey] = call.callId;
    truth.set(id, placeholder(asker, id, "tool", call.name, extra, asker.parentSpanId));
    out.push({ thing: { type: "tool-call", ...call }, spanId: id });
  }
  for (const call of facts.unrecordedModelCalls) {
    const evidence = (call.evidenceSpanId && byId.get(call.evidenceSpanId)) || first;
    const id = placeholderId(`${facts.traceId}/llm/${call.evidenceSpanId}/${out.length}`);
    truth.set(id, placeholder(evidence, id, "llm", call.name, {}, evidence.spanId));
    out.push({ thing: { type: "model-call", ...call }, spanId: id });
  }
  for (const finding of facts.facts) {
    if (finding.state !== "missing" || !finding.key || !finding.action.spanId) continue;
    const record = truth.get(finding.action.spanId);
    if (!record) continue;
    truth.set(record.spanId, restore(record, finding.key));
    out.push({ thing: { type: "fact", finding }, spanId: record.spanId, key: finding.key });
  }
  return { truth: [...truth.values()], probes: out };
}

function sameThing(a: MissingThing, b: MissingThing): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "fact" && b.type === "fact") return a.finding === b.finding;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Asks the pipeline model which stage would have lost what a run lacks: the run is rebuilt from its
 * stored records plus stand-ins for the missing ones (a root, a parent, a tool span the model asked
 * for, a deleted attribute), pushed through the logging config the stores were written by, and the
 * first loss of each stand-in names its stage and cause. Stand-ins know only what the store shows
 * (kind, name, call id; not the content), so a rule that depends on content may decide otherwise in
 * production. Simulated once per incomplete run, on the first question.
 */
export function pipelineExplainer(config: LoggingConfig, label: string, now: bigint): Explainer {
  return (records, facts) => {
    let answers: { probe: Probe; loss: LossEvent | undefined }[] | undefined;
    return (thing) => {
      if (!answers) {
        const built = probes(records, facts);
        const auditAfterNs = now > facts.latest ? now - facts.latest : 0n;
        const view = simulate(built.truth, config, { auditAfterNs });
        answers = built.probes.map((probe) => {
          const own = view.losses.filter((e) => e.spanId === probe.spanId);
          const loss = probe.key
            ? (firstLoss(own, (e) => e.target.type === "attribute" && e.target.key === probe.key) ??
              firstLoss(own, (e) => e.target.type === "record"))
            : firstLoss(own, (e) => e.target.type === "record");
          return { probe, loss };
        });
      }
      const answer = answers.find((a) => sameThing(a.probe.thing, thing));
      if (!answer) return undefined;
      if (!answer.loss) {
        return {
          cause: "unknown",
          detail: `the pipeline model (${label}) keeps it, so it was lost before the pipeline (not emitted, not exported) or production runs another config`,
        } satisfies Explanation;
      }
      return {
        cause: answer.loss.cause,
        stage: answer.loss.stage,
        detail: `the pipeline model (${label}) loses it at ${answer.loss.stage}: ${answer.loss.detail}`,
      };
    };
  };
}
