import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { guardCall } from "../guard/guard-call.js";
import { openLedger } from "../guard/open-ledger.js";
import { resultsText } from "../report/write.js";
import { exampleResults } from "./example-results.js";
import { runCliHere } from "./run-cli.js";

// What the targets of src/cli/input.property.test.ts (hostile-targets.ts) are built from: the valid
// files of each kind, made once, and the helpers that put a hostile version where a verb reads it.

const ROOT = join(import.meta.dirname, "..", "..");
export const at = (...p: string[]) => join(ROOT, ...p);
export const LOGGING = at("examples", "logging", "passing.yaml");
export const TRACE = at("examples", "traces", "ai-sdk-v6.otlp.json");
/** The one run of TRACE, which the sealed log and the bundle hold. */
export const TRACE_ID = "292786ac7bba99fa32b8fb402cf96304";

/** What the targets need made once: keys, a sealed log, an export bundle, a guard ledger, a report. */
export interface Fixtures {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly sealed: string;
  readonly bundle: string;
  readonly ledger: string;
  /** A report folder holding a valid results.json. */
  readonly report: string;
}

export async function makeFixtures(work: string): Promise<Fixtures> {
  const keys = join(work, "keys");
  const fx: Fixtures = {
    privateKey: join(keys, "private.pem"),
    publicKey: join(keys, "public.pem"),
    sealed: join(work, "sealed"),
    bundle: join(work, "bundle"),
    ledger: join(work, "ledger"),
    report: join(work, "report"),
  };
  for (const args of [
    ["keygen", "--out", keys],
    ["seal", "--in", TRACE, "--out", fx.sealed, "--key", fx.privateKey],
    ["export", "--from", fx.sealed, "--key", fx.publicKey, "--out", fx.bundle, "--trace-id", TRACE_ID],
  ]) {
    const r = await runCliHere(args);
    if (r.code !== 0) throw new Error(`trailcheck ${args.join(" ")}: exit ${r.code}\n${r.err}`);
  }
  const ledger = await openLedger({ dir: fx.ledger, key: await readFile(fx.privateKey, "utf8") });
  await guardCall(ledger, { toolName: "lookup_order", callId: "call_1", arguments: { id: "A-1" } }, () => 40);
  await guardCall(ledger, { toolName: "refund", callId: "call_2", arguments: { amount: 40 } }, () => {
    throw new Error("card declined");
  }).catch(() => undefined);
  await ledger.close();
  await mkdir(fx.report);
  await writeFile(join(fx.report, "results.json"), await resultsSeed());
  return fx;
}

/** A valid results.json: the example results as `run` writes them. */
export async function resultsSeed(): Promise<Buffer> {
  return Buffer.from(resultsText(await exampleResults()));
}

export const read = (...files: string[]) => Promise.all(files.map((f) => readFile(f)));
export const named = async (dir: string, test: (name: string) => boolean) =>
  (await readdir(dir)).filter(test).map((f) => join(dir, f));
export const endsWith = (dir: string, end: string) => named(dir, (f) => f.endsWith(end));

/** Writes `file` as `dir/name` and returns its path. */
export async function put(dir: string, name: string, file: Buffer): Promise<string> {
  await writeFile(join(dir, name), file);
  return join(dir, name);
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((n) => /\.\w+$/.test(n)).sort();
}

/** A folder of files (a sealed log, a bundle, a ledger): its files as seeds, and a copy with one replaced. */
export interface FolderOfFiles {
  readonly seeds: () => Promise<Buffer[]>;
  /**
   * A copy of the folder in `dir` with one of its files (chosen by the content's length) replaced; with
   * `trusted`, one whose content the verb must rely on, not a leaf index it rebuilds from the records.
   */
  readonly placeIn: (file: Buffer, dir: string, trusted: boolean) => Promise<string>;
}

/** A segment's leaf index: a convenience the signed roots overrule, rebuilt where it lags (src/integrity/leaves-file.ts). */
const INDEX = /\.leaves$/;

export function oneFileReplaced(name: string, from: () => string): FolderOfFiles {
  return {
    seeds: async () => read(...(await filesUnder(from())).map((f) => join(from(), f))),
    placeIn: async (file, dir, trusted) => {
      const copy = join(dir, name);
      await cp(from(), copy, { recursive: true });
      const files = (await filesUnder(copy)).filter((f) => !trusted || !INDEX.test(f));
      await writeFile(join(copy, files[file.length % files.length]!), file);
      return copy;
    },
  };
}

/** A fresh folder under `work` for each case. */
export function caseFolders(work: string): () => Promise<string> {
  let n = 0;
  return async () => {
    const dir = join(work, `case-${++n}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };
}
