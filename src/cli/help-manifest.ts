import { readFile, writeFile } from "node:fs/promises";

/**
 * The help texts, rendered once when the package is built (as oclif's command manifest is), so that
 * `trailcheck --help` and `trailcheck VERB --help` print without loading the verbs' code: `--help`
 * would otherwise load every verb and the engine behind it. Run from the sources there is no manifest
 * and help is rendered live, as everything else is.
 */
const MANIFEST = new URL("./help.json", import.meta.url);

/** The help a command line asks for and nothing else: "" for the program's, a verb's name, or undefined. */
export function helpRequest(argv: readonly string[]): string | undefined {
  const isHelp = (a: string | undefined) => a === "--help" || a === "-h";
  if (argv.length === 1 && isHelp(argv[0])) return "";
  if (argv.length === 2 && isHelp(argv[1]) && /^[a-z][a-z-]*$/.test(argv[0]!)) return argv[0];
  return undefined;
}

/** The help text the manifest holds for a request, if the package was built with one. */
export async function manifestHelp(request: string): Promise<string | undefined> {
  const text = await readFile(MANIFEST, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const help = (JSON.parse(text) as Record<string, string>)[request];
  return typeof help === "string" ? help : undefined;
}

/** Every help text as commander prints it where standard output is not a terminal (80 columns). */
export async function renderHelp(): Promise<Record<string, string>> {
  const { createProgram } = await import("./program.js");
  const program = await createProgram(["--help"]);
  program.configureHelp({ helpWidth: 80 });
  const texts: Record<string, string> = { "": program.helpInformation() };
  for (const command of program.commands) texts[command.name()] = command.helpInformation();
  return texts;
}

/** Writes the manifest beside this module (the build calls it on dist/). */
export async function writeHelpManifest(): Promise<void> {
  await writeFile(MANIFEST, `${JSON.stringify(await renderHelp(), null, 2)}\n`);
}
