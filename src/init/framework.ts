/**
 * The agent framework a project uses, recognised from its package.json, and what that agent must read
 * for `trailcheck replay` to see it whole: where to send telemetry, which model endpoint to call and the
 * framework's own switch for recording content (tool arguments, results, messages).
 */
export type Framework = "ai-sdk" | "openai-agents" | "openinference" | "opentelemetry";

interface FrameworkInfo {
  readonly name: string;
  /** Whether a dependency name belongs to the framework. */
  readonly matches: (dependency: string) => boolean;
  /** How the framework records content, and how its spans reach an OTLP endpoint. */
  readonly advice: readonly string[];
}

const FRAMEWORKS: Readonly<Record<Framework, FrameworkInfo>> = {
  "ai-sdk": {
    name: "Vercel AI SDK",
    matches: (d) => d === "ai",
    advice: [
      "pass experimental_telemetry: { isEnabled: true, recordInputs: true, recordOutputs: true } to generateText/streamText",
      "  (recordOutputs: false drops tool arguments, results and model outputs: an instrumentation gap)",
      "create the provider with createOpenAI({ baseURL: process.env.OPENAI_BASE_URL }) or leave baseURL unset",
    ],
  },
  "openai-agents": {
    name: "OpenAI Agents SDK",
    matches: (d) => d === "@openai/agents" || d === "@openai/agents-core",
    advice: [
      "keep traceIncludeSensitiveData: true on the Runner (the default), and leave OPENAI_AGENTS_DONT_LOG_MODEL_DATA",
      "  and OPENAI_AGENTS_DONT_LOG_TOOL_DATA unset: either drops tool arguments and outputs",
      "export its spans as OTLP (an OpenTelemetry tracing processor), not only to the OpenAI dashboard",
    ],
  },
  openinference: {
    name: "OpenInference",
    matches: (d) => d.startsWith("@arizeai/openinference-"),
    advice: [
      "leave OPENINFERENCE_HIDE_INPUTS, OPENINFERENCE_HIDE_OUTPUTS and the other OPENINFERENCE_HIDE_* variables unset",
      "  (or false): each hides a fact an audit needs",
    ],
  },
  opentelemetry: {
    name: "OpenTelemetry (GenAI semantic conventions)",
    matches: (d) => d.startsWith("@opentelemetry/"),
    advice: [
      "set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true so GenAI instrumentations record messages,",
      "  tool arguments and results",
    ],
  },
};

/** The frameworks among a package.json's dependencies; plain OpenTelemetry only when no other matches. */
export function detectFrameworks(packageJson: unknown): Framework[] {
  const pkg = (packageJson ?? {}) as Record<string, unknown>;
  const names = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].flatMap(
    (k) => {
      const deps = pkg[k];
      return deps && typeof deps === "object" ? Object.keys(deps) : [];
    },
  );
  const found = (Object.keys(FRAMEWORKS) as Framework[]).filter((f) => names.some(FRAMEWORKS[f].matches));
  return found.length > 1 ? found.filter((f) => f !== "opentelemetry") : found;
}

/**
 * What the agent must read for replay, for the frameworks found (generic advice when none was), and
 * what to install first when the folder has no package.json: the scaffolded suites import
 * `trailcheck/suites/*`, which resolve only where trailcheck is installed.
 */
export function replayAdvice(frameworks: readonly Framework[], hasPackageJson = true): string[] {
  const lines = [
    ...(hasPackageJson
      ? []
      : [
          "No package.json here: the suites import trailcheck/suites/*, so install trailcheck and vitest in this folder",
          "before `npx trailcheck run`:  npm init -y && npm install -D trailcheck vitest",
          "",
        ]),
    "For `trailcheck replay` and the agent suites, your agent must read, from its environment:",
    "  OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  where to send its spans (OTLP/HTTP)",
    "  OPENAI_BASE_URL                                                    the model endpoint (an OpenAI-compatible mock)",
    "  OPENAI_API_KEY                                                     any value; the mock ignores it",
    "  TRAILCHECK_INPUT                                                   the user's message: the scenario's input",
    "and flush its tracer before it exits.",
  ];
  if (frameworks.length === 0) {
    lines.push(
      "No agent framework found in package.json; trailcheck reads the OpenTelemetry GenAI conventions, the Vercel AI",
      "SDK, OpenInference and the OpenAI Agents SDK. Make sure yours records tool arguments and results.",
    );
  }
  for (const f of frameworks) {
    lines.push(`${FRAMEWORKS[f].name} found in package.json:`, ...FRAMEWORKS[f].advice.map((a) => `  ${a}`));
  }
  return lines;
}
