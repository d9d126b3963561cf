import type { Command } from "commander";

/** Each CLI verb lives in its own file and adds itself to the program with `register`. */
export type RegisterVerb = (program: Command) => void;

type VerbModule = () => Promise<{ register: RegisterVerb }>;

/**
 * The verbs, in help order, each loaded only when needed: a command line that names a verb loads that
 * verb alone, so `trailcheck check` doesn't pay for the replay, report and integrity code at start-up.
 */
export const VERBS: Readonly<Record<string, VerbModule>> = {
  run: () => import("./run.js"),
  check: () => import("./check.js"),
  analyze: () => import("./analyze.js"),
  fuzz: () => import("./fuzz.js"),
  replay: () => import("./replay.js"),
  incident: () => import("./incident.js"),
  audit: () => import("./audit.js"),
  report: () => import("./report.js"),
  init: () => import("./init.js"),
  keygen: () => import("./keygen.js"),
  seal: () => import("./seal.js"),
  verify: () => import("./verify.js"),
  export: () => import("./export.js"),
  "verify-export": () => import("./verify-export.js"),
  ledger: () => import("./ledger.js"),
};

/** The verbs a command line needs: the one it names, or all of them (help, or an unknown verb). */
export async function verbsFor(argv: readonly string[]): Promise<RegisterVerb[]> {
  const named = argv.find((a) => !a.startsWith("-"));
  const loaders = named !== undefined && Object.hasOwn(VERBS, named) ? [VERBS[named]!] : Object.values(VERBS);
  return (await Promise.all(loaders.map((load) => load()))).map((m) => m.register);
}
