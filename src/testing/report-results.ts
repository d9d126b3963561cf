// Test helpers for the report: a gap, an incident test holding gaps (and optionally a run), and
// results assembled from tests, so each report test states only what it is about.
import type { Gap } from "../model/gap.js";
import { assembleResults } from "../report/assemble.js";
import type { RunTimeline } from "../report/meta.js";
import type { Results, TestEntry } from "../report/results.js";

export const gap = (over: Partial<Gap> = {}): Gap => ({
  cause: "sampling",
  stage: "all/tail_sampling[0]",
  severity: "high",
  fact: "record",
  message: "lost",
  hint: "keep it",
  action: { kind: "tool", name: "refund_payment", spanId: "00000000000000aa" },
  traceId: "0".repeat(32),
  ...over,
});

/** A run of two actions whose facts fared as `stored` says, with recorded values. */
export const run = (stored: "present" | "missing" = "missing"): RunTimeline => ({
  traceId: "0".repeat(32),
  actions: ["agent", "tool"].map((kind, depth) => ({
    kind: kind as "agent" | "tool",
    name: kind === "tool" ? "refund_payment" : "support-agent",
    depth,
    failed: false,
    hasRecord: true,
    facts: [{ fact: "arguments" as const, recorded: '{"orderId":"A-1001","amount":40}', stored }],
  })),
});

export const test = (
  id: string,
  gaps: Gap[],
  options: { file?: string; runs?: RunTimeline[]; source?: string } = {},
): TestEntry => ({
  id: `incident:${id}`,
  name: `incidents > ${id}`,
  file: options.file ?? "suites/incidents.test.ts",
  state: gaps.length > 0 ? "failed" : "passed",
  durationMs: 3,
  kind: "incident",
  failures: [],
  result: {
    kind: "incident",
    id,
    title: id,
    tags: [],
    verdicts: [{ traceId: "0".repeat(32), reconstructable: gaps.length === 0, gaps }],
    ...(options.runs ? { runs: options.runs } : {}),
    ...(options.source ? { source: options.source } : {}),
  },
});

export const env: Results["environment"] = {
  trailcheck: "0.1.0",
  node: "v20",
  vitest: "4",
  platform: "linux-x64",
  configFiles: [],
};

export const results = (tests: TestEntry[], errors: string[] = [], baseline?: Results): Results =>
  assembleResults({
    tests,
    errors,
    environment: env,
    generatedAt: new Date(0),
    ...(baseline ? { baseline: { file: "base.json", results: baseline } } : {}),
  });
