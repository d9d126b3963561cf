import { readFile } from "node:fs/promises";
import { DEFAULTS } from "../project/defaults.js";

/** The suites trailcheck publishes (`trailcheck/suites/NAME`), each scaffolded as `suites/NAME.test.ts`. */
export const PUBLISHED_SUITES: Readonly<Record<string, string>> = {
  incidents: "Every incident in incidents/ is a permanent test",
  "config-checks": "The logging config per stream: retention, integrity, correlation, capture probability",
  properties: "Property-based synthetic runs through the logging config",
  replays: "Incidents with a scenario replayed against the agent",
  "agent-properties": "Synthetic scenarios replayed against the agent (properties.agentRuns)",
};

/** A thin suite file: it imports the published suite, which reads trailcheck.config.yaml. */
export const suiteFile = (name: string): string =>
  `// ${PUBLISHED_SUITES[name]} — trailcheck's own suite; \`npx trailcheck run\` runs it with the settings in trailcheck.config.yaml.\nimport "trailcheck/suites/${name}";\n`;

export interface ScaffoldOptions {
  /** `agent.command`: the command that runs the agent under test. */
  readonly agent?: string;
  /** A collector config (relative to the project), used instead of a native logging config. */
  readonly otelcol?: string;
  /** With `otelcol`: its storing exporters, for the storage side file. */
  readonly exporters?: readonly string[];
}

const yamlString = (s: string) => JSON.stringify(s);

function config(options: ScaffoldOptions): string {
  const pipeline = options.otelcol
    ? `# Your OpenTelemetry Collector config, and what the backend behind each exporter keeps.
otelcol: [${yamlString(options.otelcol)}]
storage: trailcheck.storage.yaml`
    : `# The logging config your agent's telemetry goes through today.
logging: logging.yaml`;
  const agent = options.agent
    ? `agent:
  command: ${yamlString(options.agent)}
  timeout: 60s`
    : `# agent:
#   command: "node dist/agent.js"
#   timeout: 60s`;
  return `# trailcheck project config. Paths are relative to this file.
${pipeline}
# The compliance profile: a built-in name (reconstructable, eu-ai-act, pci-dss-4, hipaa, sec-17a-4, soc2,
# nist-800-53) or a profile file; default: the logging config's \`compliance\`.
# profile: eu-ai-act
incidents: ${DEFAULTS.incidents}
# Replay scenarios: what the user says and what the mock model answers; their tool calls are the ones the
# synthetic scenarios replayed against the agent use.
scenarios: ${DEFAULTS.scenarios}
output: ${DEFAULTS.output}
properties:
  numRuns: ${DEFAULTS.numRuns} # synthetic runs per property, through the logging config
  agentRuns: ${DEFAULTS.agentRuns} # synthetic scenarios replayed against the agent per run; each starts it once
# The agent under test (any command). trailcheck runs it against a mock model endpoint and an OTLP receiver
# on loopback, announced through OPENAI_BASE_URL and OTEL_EXPORTER_OTLP_ENDPOINT.
${agent}
`;
}

const LOGGING = `# Your logging pipeline, in the OpenTelemetry Collector's vocabulary. Start from this config that keeps
# everything an audit needs, then make it match what your collector really does.
streams:
  - name: llm
    match: { kind: [llm] }
    retention: 400d
    correlation: [traceId, spanId, parentSpanId]
    integrity: merkle-checkpoints
  - name: actions
    match: { kind: [agent, tool, policy, handoff] }
    retention: 400d
    correlation: [traceId, spanId, parentSpanId]
    integrity: merkle-checkpoints
  - name: rest
    match: { default: true }
    retention: 400d
    integrity: merkle-checkpoints
compliance: reconstructable
`;

function storage(exporters: readonly string[]): string {
  const entries = exporters.map(
    (e) => `  ${yamlString(e)}:
    retention: 30d # how long the backend keeps what this exporter sends
    correlation: [traceId, spanId, parentSpanId]
    integrity: none # none | hash-chain | merkle-checkpoints`,
  );
  return `# What the backend behind each exporter of your collector config keeps; a collector config can't say.
# Replace these cautious starting values with your backends' real retention and integrity.
exporters:${entries.length > 0 ? `\n${entries.join("\n")}` : " {}"}
compliance: reconstructable
`;
}

const SCENARIO = `# A replay scenario: the user's input and what the mock model answers, in order. Try it with
#   npx trailcheck replay scenarios/first-run.yaml
# Add turns that ask for your agent's tools, e.g.
#   - toolCalls:
#       - { name: lookup_order, arguments: { orderId: A-1001 } }
name: first-run
description: One question and a text answer.
input: "Hello! What can you do for me?"
turns:
  - text: "I can look things up for you and answer your questions."
`;

/** `reports/` for `.gitignore`, unless a line there already ignores it. */
export function gitignoreEntry(
  existing: string | undefined,
  output: string = DEFAULTS.output,
): string | undefined {
  const covered = new Set([output, `${output}/`, `/${output}`, `/${output}/`, `${output}/*`, `/${output}/*`]);
  if (existing?.split(/\r?\n/).some((l) => covered.has(l.trim()))) return undefined;
  const lead = existing === undefined || existing === "" || existing.endsWith("\n") ? "" : "\n";
  return `${lead}# trailcheck run's reports\n${output}/\n`;
}

/** The files `trailcheck init` creates, relative to the project folder. */
export async function scaffoldFiles(options: ScaffoldOptions = {}): Promise<Record<string, string>> {
  const workflow = await readFile(new URL("../../examples/ci/github-actions.yml", import.meta.url), "utf8");
  return {
    "trailcheck.config.yaml": config(options),
    ...(options.otelcol
      ? { "trailcheck.storage.yaml": storage(options.exporters ?? []) }
      : { "logging.yaml": LOGGING }),
    ...Object.fromEntries(Object.keys(PUBLISHED_SUITES).map((n) => [`suites/${n}.test.ts`, suiteFile(n)])),
    "incidents/.gitkeep": "",
    "scenarios/first-run.yaml": SCENARIO,
    ".github/workflows/trailcheck.yml": workflow,
  };
}
