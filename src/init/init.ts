import { readFile, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { loadCollectorConfig } from "../otelcol/index.js";
import { detectFrameworks, type Framework, replayAdvice } from "./framework.js";
import { gitignoreEntry, scaffoldFiles } from "./scaffold.js";
import { workflowNote } from "./workflow.js";
import { writeNewFiles } from "./write-new-files.js";

export interface InitOptions {
  /** The command that runs the agent under test, for `agent.command`. */
  readonly agent?: string;
  /** A collector config file (relative to `cwd`) to use instead of a native logging config. */
  readonly otelcol?: string;
  readonly cwd?: string;
}

export interface InitOutcome {
  /** The files created, relative to the project folder. */
  readonly created: string[];
  /** What became of `.gitignore`'s entry for the reports. */
  readonly gitignore: "created" | "appended" | "kept";
  readonly frameworks: Framework[];
  /** What the agent must read for replay, line by line. */
  readonly advice: string[];
  /** Where the workflow must go when the project is not at its repository's root, line by line. */
  readonly workflow: string[];
}

const readIfFile = (file: string) =>
  stat(file).then(
    (s) => (s.isFile() ? readFile(file, "utf8") : undefined),
    () => undefined,
  );

/** The storing exporters of a collector config, which must load as the collector would read it. */
async function collectorExporters(file: string): Promise<string[]> {
  const built = await loadCollectorConfig([file]);
  return [...new Set(built.streams.map((s) => s.exporter))];
}

function packageFrameworks(text: string | undefined): Framework[] {
  if (text === undefined) return [];
  try {
    return detectFrameworks(JSON.parse(text));
  } catch {
    return [];
  }
}

/**
 * Scaffolds trailcheck into an existing project folder: the config (with the agent command), a logging
 * config or a storage side file for a collector config, every published suite, a starter scenario, the
 * CI workflow and a `.gitignore` entry for the reports. Checks everything first and writes all of it or
 * nothing; never overwrites a file.
 */
export async function initProject(dir: string, options: InitOptions = {}): Promise<InitOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const root = resolve(cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InputError(
      "no-project",
      `${dir} is not a folder: run trailcheck init inside your agent's project`,
    );
  }
  const agent = options.agent?.trim();
  if (options.agent !== undefined && !agent) {
    throw new InputError(
      "bad-option",
      '--agent needs the command that runs your agent, e.g. --agent "node agent.js"',
    );
  }
  let otelcol: { path: string; exporters: string[] } | undefined;
  if (options.otelcol !== undefined) {
    const file = resolve(cwd, options.otelcol);
    const rel = relative(root, file);
    otelcol = {
      path: (isAbsolute(rel) ? file : rel).split(sep).join("/"),
      exporters: await collectorExporters(file),
    };
  }
  const files = await scaffoldFiles({
    ...(agent ? { agent } : {}),
    ...(otelcol ? { otelcol: otelcol.path, exporters: otelcol.exporters } : {}),
  });
  const ignore = await readIfFile(resolve(root, ".gitignore"));
  const entry = gitignoreEntry(ignore);
  const gitignore = entry === undefined ? "kept" : ignore === undefined ? "created" : "appended";
  const created = await writeNewFiles(root, {
    create: { ...files, ...(gitignore === "created" ? { ".gitignore": entry! } : {}) },
    ...(gitignore === "appended" ? { append: { ".gitignore": entry! } } : {}),
  });
  const packageJson = await readIfFile(resolve(root, "package.json"));
  const frameworks = packageFrameworks(packageJson);
  const advice = replayAdvice(frameworks, packageJson !== undefined);
  return { created, gitignore, frameworks, advice, workflow: await workflowNote(root) };
}
