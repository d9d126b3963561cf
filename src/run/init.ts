import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { DEFAULTS } from "../project/defaults.js";

const CONFIG = `# trailcheck project config. Paths are relative to this file.
# The logging config your agent's telemetry goes through today.
logging: logging.yaml
# The compliance profile: a built-in name (reconstructable, eu-ai-act, pci-dss-4, hipaa, sec-17a-4,
# soc2) or a profile file; default: the logging config's \`compliance\`.
# profile: eu-ai-act
incidents: incidents
output: reports
properties:
  numRuns: ${DEFAULTS.numRuns}
# The agent under test, for replays (any command).
# agent:
#   command: "node dist/agent.js"
`;

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

const suite = (name: string, what: string) =>
  `// ${what} — trailcheck's own suite; \`npx trailcheck run\` runs it with the settings in trailcheck.config.yaml.\nimport "trailcheck/suites/${name}";\n`;

/** The files `trailcheck init` writes, relative to the project folder. */
export async function scaffoldFiles(): Promise<Record<string, string>> {
  const workflow = await readFile(new URL("../../examples/ci/github-actions.yml", import.meta.url), "utf8");
  return {
    "trailcheck.config.yaml": CONFIG,
    "logging.yaml": LOGGING,
    "suites/incidents.test.ts": suite("incidents", "Every incident in incidents/ is a permanent test"),
    "suites/config-checks.test.ts": suite(
      "config-checks",
      "The logging config per stream: retention, integrity, correlation, capture probability",
    ),
    "incidents/.gitkeep": "",
    ".github/workflows/trailcheck.yml": workflow,
  };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * Scaffolds trailcheck into an existing project folder. Refuses, writing nothing, if any of the
 * files already exists. Returns the files written, relative to `dir`.
 */
export async function initProject(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InputError(
      "no-project",
      `${dir} is not a folder: run trailcheck init inside your agent's project`,
    );
  }
  const files = await scaffoldFiles();
  const taken: string[] = [];
  for (const name of Object.keys(files)) if (await exists(join(root, name))) taken.push(name);
  if (taken.length > 0) {
    throw new InputError(
      "would-overwrite",
      `not overwriting ${taken.join(", ")}; nothing was written (move them aside or add the rest by hand)`,
    );
  }
  for (const [name, text] of Object.entries(files)) {
    const file = join(root, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { flag: "wx" });
  }
  return Object.keys(files);
}
