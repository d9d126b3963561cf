import type fc from "fast-check";
import type { SpanRecord } from "../model/record.js";
import { layoutRun } from "./_internals/layout.js";
import { renderAiSdk } from "./_internals/render-ai-sdk.js";
import { renderGenAi } from "./_internals/render-genai.js";
import { renderOpenAiAgents } from "./_internals/render-openai-agents.js";
import { renderOpenInference } from "./_internals/render-openinference.js";
import type { SynthConvention, SynthOptions } from "./options.js";
import { type RunPlan, runPlanArb } from "./run-plan.js";

/** A generated truth run: the plan it was written from, and its records as the ingest produces them. */
export interface SyntheticRun {
  readonly traceId: string;
  readonly convention: SynthConvention;
  readonly plan: RunPlan;
  /** Fully recorded: every fact the run's convention can carry is there. */
  readonly records: SpanRecord[];
}

/** Writes a plan in its convention. Pure: the same plan always gives the same records. */
export function renderRun(plan: RunPlan): SyntheticRun {
  const spans = layoutRun(plan);
  const { traceId, convention } = plan;
  let records: SpanRecord[];
  switch (convention) {
    case "native":
      records = renderGenAi(traceId, spans, true);
      break;
    case "genai":
      records = renderGenAi(traceId, spans, false);
      break;
    case "ai-sdk":
      records = renderAiSdk(traceId, spans);
      break;
    case "openinference":
      records = renderOpenInference(traceId, spans);
      break;
    case "openai-agents":
      records = renderOpenAiAgents(traceId, spans);
      break;
  }
  return { traceId, convention, plan, records };
}

/**
 * Fully recorded agent runs in every convention trailcheck reads (or the one asked for): nested agents
 * and handoffs, model calls that ask for tools, tool calls that succeed, fail or are blocked, personal
 * data and secrets in prompts and arguments, payloads up to over 100 kB, spans that arrive minutes late.
 */
export function agentRunArb(options: Partial<SynthOptions> = {}): fc.Arbitrary<SyntheticRun> {
  return runPlanArb(options).map(renderRun);
}
