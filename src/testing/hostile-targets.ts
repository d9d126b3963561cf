import { cp } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  at,
  endsWith,
  type Fixtures,
  LOGGING,
  named,
  oneFileReplaced,
  put,
  read,
  resultsSeed,
  TRACE,
  TRACE_ID,
} from "./hostile-fixtures.js";

// The verbs that read a file a user names, each with valid files of its kind to change and where a
// hostile version goes on its command line: the targets of src/cli/input.property.test.ts.

const OTELCOL = at("examples", "otelcol", "agent-sampling-redaction.yaml");
const INGEST_TESTDATA = at("src", "ingest", "testdata");
const INCIDENTS = at("incidents");
/** A window that holds every example's runs, so a valid store ends in a verdict. */
const WHOLE_TIME = ["--from", "2000-01-01T00:00:00Z", "--now", "2100-01-01T00:00:00Z"];

export interface Target {
  readonly name: string;
  /** Valid files of this kind, to change. */
  readonly seeds: () => Promise<Buffer[]>;
  /**
   * Writes the content where the verb reads it (in `dir`, a fresh folder); returns the command line.
   * `unreadable`: the content is a file no reader could take, so it goes where the verb must read it.
   */
  readonly place: (file: Buffer, dir: string, unreadable: boolean) => Promise<string[]>;
  /** What a file no reader could take (not text, not any format) may end with: never a clean verdict. */
  readonly unreadable: Unreadable;
}

export interface Unreadable {
  /** 2, bad input; 1 too where the file is one of a sealed log's, bundle's or ledger's: damage found. */
  readonly codes: readonly number[];
  /** Where the verb's exit code is not about damage (audit's is its alerts): what its output must say. */
  readonly shows?: RegExp;
}

const traceSeeds = async () =>
  read(
    ...(await named(at("examples", "traces"), (f) => /\.jsonl?$/.test(f))),
    ...(await endsWith(INGEST_TESTDATA, ".jsonl")),
  );
const loggingSeeds = async () => read(...(await endsWith(at("examples", "logging"), ".yaml")));
const otelcolSeeds = async () =>
  read(...(await named(at("examples", "otelcol"), (f) => /(?<!\.storage)\.yaml$/.test(f))));
const incidentSeeds = async () => read(...(await endsWith(INCIDENTS, ".yaml")));
const PROFILE = Buffer.from("extends: pci-dss-4\nrequired:\n  tool: [callId]\nretention: { minimum: 2y }\n");
const STATE = Buffer.from(
  JSON.stringify({
    version: 1,
    episodes: [
      {
        ...{ service: "support-agent", agent: "support-agent", kind: "rate" },
        ...{ start: "2026-01-15T09:00:00.000Z", end: null, peakRate: 0.4, reasons: { orphan: 3 } },
        ...{ audits: 2, lastSeen: "2026-01-15T10:00:00.000Z" },
      },
    ],
  }),
);

/**
 * A broken incident file in `dir` with the run files of every example incident beside it (a change that
 * keeps `run:` still finds one); returns the id and the file.
 */
async function placeIncident(file: Buffer, dir: string): Promise<{ id: string; path: string }> {
  for (const run of await endsWith(INCIDENTS, ".run.jsonl")) await cp(run, join(dir, basename(run)));
  const id = /id: (INC-\d{4})/.exec(file.toString("latin1"))?.[1] ?? "INC-0001";
  return { id, path: await put(dir, `${id}-hostile.yaml`, file) };
}

const WHOLE: Unreadable = { codes: [2] };
const ONE_OF_MANY: Unreadable = { codes: [1, 2] };
/** A damaged store is reported on the run it holds; audit's exit code is its alerts. */
const AUDITED: Unreadable = { codes: [0, 1, 2], shows: /FAILS VERIFICATION/ };

/** The targets; `fixtures` is asked for when a case runs, so they can be listed before it is made. */
export function hostileTargets(fixtures: () => Fixtures): Target[] {
  const sealed = oneFileReplaced("log", () => fixtures().sealed);
  const bundle = oneFileReplaced("bundle", () => fixtures().bundle);
  const ledger = oneFileReplaced("ledger", () => fixtures().ledger);
  const key = (which: "privateKey" | "publicKey") => fixtures()[which];
  return [
    {
      name: "check --trace",
      seeds: traceSeeds,
      place: async (f, d) => ["check", "--trace", await put(d, "trace.json", f), "--logging", LOGGING],
      unreadable: WHOLE,
    },
    {
      name: "check --trace (OTLP protobuf, length-prefixed exports)",
      seeds: async () => read(...(await named(INGEST_TESTDATA, (f) => /\.(binpb|bin)$/.test(f)))),
      // The name decides: .binpb is one request; the rest is read as a length-prefixed export or text.
      place: async (f, d) => {
        const name = f.length % 2 === 0 ? "trace.binpb" : "export.bin";
        return ["check", "--trace", await put(d, name, f), "--logging", LOGGING];
      },
      unreadable: WHOLE,
    },
    {
      name: "check --logging",
      seeds: loggingSeeds,
      place: async (f, d) => ["check", "--trace", TRACE, "--logging", await put(d, "logging.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "analyze --logging",
      seeds: loggingSeeds,
      place: async (f, d) => ["analyze", "--logging", await put(d, "logging.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "analyze --otelcol",
      seeds: otelcolSeeds,
      place: async (f, d) => ["analyze", "--otelcol", await put(d, "otelcol.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "analyze --storage",
      seeds: async () => read(...(await endsWith(at("examples", "otelcol"), ".storage.yaml"))),
      place: async (f, d) => ["analyze", "--otelcol", OTELCOL, "--storage", await put(d, "storage.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "analyze --profile FILE",
      seeds: async () => [PROFILE],
      place: async (f, d) => ["analyze", "--logging", LOGGING, "--profile", await put(d, "profile.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "fuzz --logging",
      seeds: loggingSeeds,
      place: async (f, d) => [
        "fuzz",
        "--logging",
        await put(d, "logging.yaml", f),
        "--runs",
        "2",
        "--seed",
        "1",
      ],
      unreadable: WHOLE,
    },
    {
      name: "incident add",
      seeds: traceSeeds,
      place: async (f, d) => {
        const trace = await put(d, "trace.json", f);
        return ["incident", "add", trace, "--dir", join(d, "incidents"), "--title", "hostile"];
      },
      unreadable: WHOLE,
    },
    {
      name: "incident show (a broken incident file)",
      seeds: incidentSeeds,
      place: async (f, d) => ["incident", "show", (await placeIncident(f, d)).id, "--dir", d],
      unreadable: WHOLE,
    },
    {
      name: "incident list (a broken incident file)",
      seeds: incidentSeeds,
      place: async (f, d) => {
        await placeIncident(f, d);
        return ["incident", "list", "--dir", d];
      },
      unreadable: WHOLE,
    },
    {
      name: "replay INCIDENT_FILE",
      seeds: incidentSeeds,
      // An agent that exits at once: a valid incident ends as the agent's failure (3), quickly.
      place: async (f, d) => [
        ...["replay", (await placeIncident(f, d)).path, "--agent", "true"],
        ...["--logging", LOGGING, "--timeout", "5s"],
      ],
      unreadable: WHOLE,
    },
    {
      name: "replay SCENARIO_FILE",
      seeds: async () => read(...(await endsWith(at("examples", "support-agent", "scenarios"), ".yaml"))),
      place: async (f, d) => [
        ...["replay", await put(d, "scenario.yaml", f), "--agent", "true"],
        ...["--logging", LOGGING, "--timeout", "5s"],
      ],
      unreadable: WHOLE,
    },
    {
      name: "run --config",
      seeds: async () => read(at("trailcheck.config.yaml")),
      // In a folder without suites: a valid config ends in `no-suites` before any suite could run.
      place: async (f, d) => ["run", "--config", await put(d, "trailcheck.config.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "init --otelcol",
      seeds: otelcolSeeds,
      place: async (f, d) => ["init", "--dir", d, "--otelcol", await put(d, "collector.yaml", f)],
      unreadable: WHOLE,
    },
    {
      name: "report --merge",
      seeds: async () => [await resultsSeed()],
      place: async (f, d) => {
        await put(d, "results.json", f);
        return ["report", "--merge", d, "--output", join(d, "out")];
      },
      unreadable: WHOLE,
    },
    {
      name: "report --baseline",
      seeds: async () => [await resultsSeed()],
      place: async (f, d) => [
        ...["report", "--merge", fixtures().report, "--output", join(d, "out")],
        ...["--baseline", await put(d, "baseline.json", f)],
      ],
      unreadable: WHOLE,
    },
    {
      name: "seal --in",
      seeds: traceSeeds,
      place: async (f, d) => [
        ...["seal", "--in", await put(d, "trace.json", f)],
        ...["--out", join(d, "log"), "--key", key("privateKey")],
      ],
      unreadable: WHOLE,
    },
    {
      name: "seal --key (a private key)",
      seeds: async () => read(key("privateKey")),
      place: async (f, d) => [
        ...["seal", "--in", TRACE, "--out", join(d, "log")],
        ...["--key", await put(d, "private.pem", f)],
      ],
      unreadable: WHOLE,
    },
    {
      name: "verify (one file of a sealed log replaced)",
      seeds: sealed.seeds,
      place: async (f, d, u) => ["verify", await sealed.placeIn(f, d, u), "--key", key("publicKey")],
      unreadable: ONE_OF_MANY,
    },
    {
      name: "verify --key (a public key)",
      seeds: async () => read(key("publicKey")),
      place: async (f, d) => ["verify", fixtures().sealed, "--key", await put(d, "public.pem", f)],
      unreadable: WHOLE,
    },
    {
      name: "verify --trusted-checkpoint",
      seeds: async () => read(...(await named(join(fixtures().sealed, "checkpoints"), () => true))),
      place: async (f, d) => [
        ...["verify", fixtures().sealed, "--key", key("publicKey")],
        ...["--trusted-checkpoint", await put(d, "checkpoint", f)],
      ],
      unreadable: WHOLE,
    },
    {
      name: "export (one file of a sealed log replaced)",
      seeds: sealed.seeds,
      place: async (f, d, u) => [
        ...["export", "--from", await sealed.placeIn(f, d, u), "--key", key("publicKey")],
        ...["--out", join(d, "bundle"), "--trace-id", TRACE_ID],
      ],
      unreadable: ONE_OF_MANY,
    },
    {
      name: "verify-export (one file of a bundle replaced)",
      seeds: bundle.seeds,
      place: async (f, d, u) => ["verify-export", await bundle.placeIn(f, d, u), "--key", key("publicKey")],
      unreadable: ONE_OF_MANY,
    },
    {
      name: "ledger show (one file of a ledger replaced)",
      seeds: ledger.seeds,
      place: async (f, d, u) => ["ledger", "show", await ledger.placeIn(f, d, u), "--key", key("publicKey")],
      unreadable: ONE_OF_MANY,
    },
    {
      name: "verify (one file of a guard ledger replaced)",
      seeds: ledger.seeds,
      place: async (f, d, u) => ["verify", await ledger.placeIn(f, d, u), "--key", key("publicKey")],
      unreadable: ONE_OF_MANY,
    },
    {
      name: "audit --store",
      seeds: traceSeeds,
      place: async (f, d) => ["audit", "--store", await put(d, "traces.jsonl", f), ...WHOLE_TIME],
      unreadable: WHOLE,
    },
    {
      name: "audit --store sealed: (one file of a sealed log replaced)",
      seeds: sealed.seeds,
      place: async (f, d, u) => [
        ...["audit", "--store", `sealed:${await sealed.placeIn(f, d, u)}?key=${key("publicKey")}`],
        ...WHOLE_TIME,
      ],
      unreadable: AUDITED,
    },
    {
      name: "audit --ledger (one file of a guard ledger replaced)",
      seeds: ledger.seeds,
      place: async (f, d, u) => [
        ...["audit", "--store", TRACE, "--ledger", await ledger.placeIn(f, d, u)],
        ...["--ledger-key", key("publicKey"), ...WHOLE_TIME],
      ],
      unreadable: { codes: [0, 1, 2] },
    },
    {
      name: "audit --state",
      seeds: async () => [STATE],
      place: async (f, d) => [
        ...["audit", "--store", TRACE, "--state", await put(d, "state.json", f)],
        ...WHOLE_TIME,
      ],
      unreadable: WHOLE,
    },
    {
      name: "audit --config",
      seeds: async () => read(at("trailcheck.config.yaml")),
      place: async (f, d) => [
        ...["audit", "--store", TRACE, "--config", await put(d, "trailcheck.config.yaml", f)],
        ...WHOLE_TIME,
      ],
      unreadable: WHOLE,
    },
  ];
}
