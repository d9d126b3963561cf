import { escapeTerminal } from "./text/escape.js";

/**
 * Exit codes shared by every verb. `1` means gaps were found and nothing else: a user's mistake is `2`,
 * the agent under test failing is `3`, and a bug in trailcheck is `70` (EX_SOFTWARE of sysexits.h).
 */
export const ExitCode = {
  ok: 0,
  gaps: 1,
  badInput: 2,
  agentFailed: 3,
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const input = (meaning: string) => ({ exit: ExitCode.badInput, meaning }) as const;

/**
 * Every error code trailcheck reports, the exit code it ends with and what it means: a closed list,
 * so scripts and tests can rely on a code. The README's table of error codes is checked against it.
 */
export const ERROR_CODES = {
  // Command line and environment
  "bad-option": input("a command-line option or argument is malformed, or conflicts with another"),
  "bad-environment": input("a TRAILCHECK_* environment variable is malformed"),
  // Files
  "file-not-found": input("a file or folder named on the command line or in a config does not exist"),
  "not-a-file": input("a path that must name a regular file names a folder, a FIFO, a socket or a device"),
  "file-system": input(
    "the file system refused a read or a write: permission denied, read-only, disk full, a file where a folder is needed",
  ),
  "bad-yaml": input("a YAML file does not parse, or expands past the alias limit (a 'billion laughs')"),
  "bad-json": input("a JSON file does not parse"),
  // Configs
  "bad-project-config": input("trailcheck.config.yaml breaks its schema"),
  "bad-logging-config": input("a logging config breaks its schema, or holds a setting the collector refuses"),
  "bad-otelcol-config": input("an OpenTelemetry Collector config is malformed or names what does not exist"),
  "bad-storage-file": input("the storage side file of a collector config breaks its schema"),
  "otelcol-no-traces": input("a collector config has no traces pipeline"),
  "pipeline-config": input("a processor setting the collector would refuse at start-up"),
  "no-logging-config": input("nothing names a logging config: no --logging, --otelcol or `logging:`"),
  "bad-profile": input("a compliance profile file breaks its schema"),
  "unknown-profile": input("a profile name that is neither built in nor a profile file"),
  // Traces and records
  "unknown-trace-format": input("a trace file in none of the formats trailcheck reads"),
  "bad-trace": input("a trace file whose content breaks its format"),
  "bad-record": input("a trailcheck JSONL record breaks its schema"),
  "bad-trace-id": input("--trace-id is not a trace id"),
  "no-trace": input("the trace file holds no spans, or none of the trace asked for"),
  "many-traces": input("the trace file holds several traces and none was chosen"),
  // Incidents and replays
  "bad-incident": input("an incident file or its recorded run breaks the incident schema"),
  "unknown-incident": input("no incident with that id in the incidents folder"),
  "duplicate-incident": input("several incident files in the folder carry the same id"),
  "no-free-id": input("every incident id is taken"),
  "no-scenario": input("the incident holds no scenario to replay"),
  "bad-scenario": input("a scenario file breaks its schema"),
  "no-agent": input("nothing names the agent command: no --agent and no `agent.command`"),
  // run, report, init
  "no-project": input("`init --dir` names no folder"),
  "would-overwrite": input("`init` would overwrite a file"),
  "cannot-write": input("`init` cannot write into the folder: a path on the way is unusable or not writable"),
  "no-suites": input("the project has no suites folder, or its suites ran no test (nothing was judged)"),
  "no-vitest": input("`run` needs vitest, which is not installed"),
  "vitest-failed": input(
    "vitest could not start the suites (the project's vitest config does not load), or a suite file failed outside its tests (it did not load)",
  ),
  "bad-results": input("a results.json that does not parse or breaks its schema"),
  "results-mismatch": input(
    "`report --merge` of shards judged under different configs, or not every shard of one run once",
  ),
  // Tamper-evident logs and auditor bundles
  "key-exists": input("`keygen` would overwrite a key"),
  "key-file": input("a key file that cannot be read"),
  "key-type": input("a key that is not an Ed25519 key of the right kind"),
  "key-unreadable": input("a key file that does not hold a usable PEM key"),
  "log-dir": input("a sealed-log folder that cannot be read as one"),
  "seal-out": input("`seal --out` names a folder that cannot hold a sealed log"),
  "no-records": input("`seal --in` holds no records"),
  "trusted-checkpoint": input("the trusted checkpoint cannot be read or does not parse"),
  "empty-export": input("`export` selected no records"),
  "export-not-empty": input("`export --out` names a folder that is not empty"),
  "bundle-dir": input("an auditor bundle folder that cannot be read as one"),
  "not-utf8": input("a record that is not UTF-8 text"),
  "ledger-key-required": input("a guard ledger with signed checkpoints is read without its public key"),
  // Production audit
  "store-not-found": input("the audited store does not exist"),
  "bad-store": input("the audited store is not in the layout its kind has"),
  "bad-gzip": input("a stored export is not valid gzip"),
  "bad-time": input("an audit window time is neither ISO 8601 nor relative to --now"),
  "bad-state": input("the audit --state file is not JSON or not an audit state file"),
  "no-chdb": input("a chdb: store needs the optional package chdb, which is not installed or does not load"),
  "store-unreachable": input(
    "the ClickHouse server can't be reached, or the chdb data directory can't be opened",
  ),
  "store-refused": input(
    "ClickHouse refused the audit's user: authentication, permissions or an unknown database",
  ),
  "bad-table": input(
    "the audited table is not the ClickHouse exporter's (or was made with its json: true option), or the results table keeps rows too briefly",
  ),
  // The agent under test
  "agent-failed": {
    exit: ExitCode.agentFailed,
    meaning: "the agent under test crashed, hung or never flushed",
  },
  // trailcheck itself
  internal: { exit: ExitCode.internal, meaning: "a bug in trailcheck: the details are written to a file" },
} as const satisfies Record<string, { exit: ExitCode; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The codes that mean bad input or config (exit 2). */
export type InputErrorCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]["exit"] extends typeof ExitCode.badInput ? K : never;
}[ErrorCode];

/** Where in a user's file a problem sits. */
export interface Location {
  readonly file?: string;
  /** 1-based line number, where known. */
  readonly line?: number;
  /** 1-based column, where known. */
  readonly column?: number;
  /** A field path such as `streams[0].processors[1].redaction.allowed_keys`. */
  readonly field?: string;
}

export function formatLocation(loc: Location): string {
  let out = loc.file ?? "";
  if (loc.line !== undefined)
    out += `${out ? ":" : "line "}${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
  if (loc.field) out += `${out ? " " : ""}(${loc.field})`;
  return out;
}

/**
 * A user's mistake: bad input, bad config. The CLI prints its message (never a stack) and exits 2.
 * `code` is one of `ERROR_CODES`, so scripts and tests can rely on it.
 */
export class InputError extends Error {
  readonly exitCode: ExitCode = ExitCode.badInput;
  constructor(
    readonly code: InputErrorCode,
    message: string,
    readonly location: Location = {},
    options?: ErrorOptions,
  ) {
    const where = formatLocation(location);
    super(where ? `${where}: ${message}` : message, options);
    this.name = "InputError";
  }
}

/** The agent under test could not be run (crash, hang, early exit). The CLI exits 3. */
export class AgentError extends Error {
  readonly exitCode: ExitCode = ExitCode.agentFailed;
  readonly code = "agent-failed" satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = "AgentError";
  }
}

export function isUserFacingError(err: unknown): err is InputError | AgentError {
  return err instanceof InputError || err instanceof AgentError;
}

/** Node's codes for a file system that refused an operation on a path the user chose. */
const REFUSALS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "already exists",
  ENOTEMPTY: "the folder is not empty",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EFBIG: "the file is too large",
  ENXIO: "no such device (a FIFO with no writer?)",
  ENOENT: "no such file or folder",
  // A special file that cannot be read as a file (/proc/self/mem), or a failing disk: the path is named.
  EIO: "input/output error",
};

/**
 * A file-system refusal as bad input (exit 2) that names the path and the reason; undefined for any
 * other error. A write into a read-only folder or onto a path that is a file is the user's to fix.
 * `file` names the path when the error doesn't (a read from an open stream).
 */
export function fileSystemError(err: unknown, what?: string, file?: string): InputError | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!(e instanceof Error) || typeof e.code !== "string" || !(e.code in REFUSALS)) return undefined;
  const action = e.syscall ? `cannot ${e.syscall}` : "cannot use it";
  const path = e.path ?? file;
  return new InputError(
    e.code === "ENOENT" ? "file-not-found" : "file-system",
    `${what ? `${what}: ` : ""}${action}: ${REFUSALS[e.code]}`,
    path !== undefined ? { file: path } : {},
    { cause: err },
  );
}

/**
 * A parser's complaint, on one line: `JSON.parse` quotes the text around the fault, line breaks and
 * all, and the CLI prints an error as one line.
 */
export function parserMessage(err: unknown): string {
  return escapeTerminal(err instanceof Error ? err.message : String(err));
}

/**
 * Runs a recursive step over a user's document; a stack overflow there means the document is nested
 * deeper than any real one, which is the input's fault: `refused` says how (exit 2), not a crash.
 */
export function refuseDeepNesting<T>(run: () => T, refused: () => InputError): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw refused();
    throw err;
  }
}
