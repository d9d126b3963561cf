import type { Convention } from "../model/record.js";

/** The conventions synthetic runs are written in (every one trailcheck reads). */
export const SYNTH_CONVENTIONS = ["native", "genai", "ai-sdk", "openinference", "openai-agents"] as const;
export type SynthConvention = (typeof SYNTH_CONVENTIONS)[number] & Convention;

export function isSynthConvention(value: string): value is SynthConvention {
  return (SYNTH_CONVENTIONS as readonly string[]).includes(value);
}

/** Bounds on generated runs. Rates are chances between 0 and 1; every draw shrinks towards the plain case. */
export interface SynthOptions {
  /** Write every run in this convention; by default each run picks one. */
  readonly convention?: SynthConvention;
  /** Levels of nested agents (sub-agents and handoffs) below the root agent. */
  readonly maxDepth: number;
  /** Steps (model turns that call tools, handoffs, sub-agents) per agent, before its final answer. */
  readonly maxBreadth: number;
  /** Tool calls one model turn asks for. */
  readonly maxToolCalls: number;
  /** A tool call fails. */
  readonly errorRate: number;
  /** A policy decision blocks a tool call the model asked for. */
  readonly denialRate: number;
  /** A tool call that runs has its (allowing) policy decision recorded. */
  readonly policyRate: number;
  /** An agent fails as a whole. */
  readonly agentErrorRate: number;
  /** A model turn or tool call takes minutes, so the spans after it (and its parents) arrive late. */
  readonly lateRate: number;
  /** The longest such span, in milliseconds. */
  readonly maxLateMs: number;
  /** A payload carries personal data or a secret. */
  readonly piiRate: number;
  /** A payload is large (1 kB up to `maxPayloadBytes`). */
  readonly largeRate: number;
  readonly maxPayloadBytes: number;
}

export const DEFAULT_SYNTH_OPTIONS: SynthOptions = {
  maxDepth: 2,
  maxBreadth: 3,
  maxToolCalls: 3,
  errorRate: 0.15,
  denialRate: 0.1,
  policyRate: 0.3,
  agentErrorRate: 0.05,
  lateRate: 0.1,
  maxLateMs: 10 * 60_000,
  piiRate: 0.3,
  largeRate: 0.02,
  maxPayloadBytes: 120_000,
};

export function synthOptions(partial: Partial<SynthOptions> = {}): SynthOptions {
  return { ...DEFAULT_SYNTH_OPTIONS, ...partial };
}
