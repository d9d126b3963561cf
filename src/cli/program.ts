import { Command, CommanderError } from "commander";
import { ExitCode, fileSystemError, isUserFacingError } from "../errors.js";
import { escapeTerminal } from "../text/escape.js";
import { reportCrash, version } from "./crash.js";
import { type RegisterVerb, verbsFor } from "./registry.js";

/** The `trailcheck` program with the verbs a command line needs (every verb for help). */
export async function createProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("trailcheck")
    .description(
      "Keeps the audit trails of AI agents complete: replays runs through the logging config and reports every lost fact.",
    )
    .version(version(), "-V, --version", "print trailcheck's version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const verbs: RegisterVerb[] = await verbsFor(argv);
  for (const register of verbs) register(program);
  return program;
}

/**
 * What an error ends a command with: a user's mistake prints its message (file and place, no stack) and
 * exits 2, the agent's failure 3, and anything else is a bug in trailcheck (70, details in a file).
 * A file system that refuses a path the user chose (read-only, a file where a folder goes) is the
 * user's to fix, whichever verb met it.
 */
export function exitCodeFor(err: unknown, args: readonly string[]): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  const known = isUserFacingError(err) ? err : fileSystemError(err);
  if (known) {
    // Line by line: a message may list things (the traces a file holds), each line escaped.
    process.stderr.write(`trailcheck: ${known.message.split("\n").map(escapeTerminal).join("\n")}\n`);
    return known.exitCode;
  }
  return reportCrash(err, args);
}

/**
 * Runs one command line (`args` without `node` and the script) and returns its exit code. Verbs print
 * to the process's stdout and stderr and leave their code in `process.exitCode`, which is put back as
 * it was afterwards, so a test can call this in-process.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = await createProgram(args);
    await program.parseAsync([...args], { from: "user" });
    return Number(process.exitCode ?? ExitCode.ok);
  } catch (err) {
    return exitCodeFor(err, args);
  } finally {
    process.exitCode = before;
  }
}
