/** Exit codes shared by every verb. */
export const ExitCode = {
  ok: 0,
  gaps: 1,
  badInput: 2,
  agentFailed: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

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
 * `code` is stable, so scripts and tests can rely on it.
 */
export class InputError extends Error {
  readonly exitCode: ExitCode = ExitCode.badInput;
  constructor(
    readonly code: string,
    message: string,
    readonly location: Location = {},
  ) {
    const where = formatLocation(location);
    super(where ? `${where}: ${message}` : message);
    this.name = "InputError";
  }
}

/** The agent under test could not be run (crash, hang, early exit). The CLI exits 3. */
export class AgentError extends Error {
  readonly exitCode: ExitCode = ExitCode.agentFailed;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AgentError";
  }
}

export function isUserFacingError(err: unknown): err is InputError | AgentError {
  return err instanceof InputError || err instanceof AgentError;
}
