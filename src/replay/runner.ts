import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import { type LedgerReading, readLedger } from "../guard/read-ledger.js";
import type { SpanRecord } from "../model/record.js";
import type { Scenario } from "../model/scenario.js";
import { DEFAULTS, LIMITS } from "../project/defaults.js";
import type { ModelExchange } from "./exchange.js";
import { type GroundTruth, groundTruth } from "./ground-truth.js";
import { startMockModel } from "./mock-model.js";
import { type MalformedTelemetry, type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver.js";
import { outputEnded, signalGroup, trackGroup, untrackGroup } from "./process-group.js";
import { TailBuffer } from "./tail-buffer.js";

export type FailureKind =
  | "crash"
  | "timeout"
  | "nonzero-exit"
  | "overrun"
  | "no-telemetry"
  | "no-model-call"
  | "malformed-telemetry";

/** Why the agent's run can't be judged: its own failure, never a gap. */
export interface ReplayFailure {
  readonly kind: FailureKind;
  readonly message: string;
}

export interface ReplayOptions {
  readonly scenario: Scenario;
  /** `agent.command`: a shell command line, run with `sh -c` in its own process group. */
  readonly command: string;
  readonly cwd?: string;
  /** Extra environment for the agent (the harness's own variables win). */
  readonly env?: Readonly<Record<string, string>>;
  /** Default 60 s; at most 2^31 − 1 ms (about 24.8 days), what a timer can hold. */
  readonly timeoutMs?: number;
  /**
   * Between SIGTERM and SIGKILL on a timeout; default 2 s. Also how long the agent's stdout and stderr
   * may stay open after it exited before they are no longer read (see `leftover`).
   */
  readonly killGraceMs?: number;
  /** Telemetry is complete once no request has arrived for this long after exit; default 300 ms. */
  readonly telemetryQuietMs?: number;
  /** The longest wait for telemetry after exit; default 2 s. */
  readonly telemetryMaxWaitMs?: number;
  /** Bytes of stdout and of stderr kept (the last ones); default 64 KiB. */
  readonly outputLimit?: number;
}

export interface ReplayTimings {
  /** Start of the servers to the end of teardown. */
  readonly totalMs: number;
  /** Spawn to exit of the agent: the agent's own time. */
  readonly agentMs: number;
  /** Waiting for telemetry after the agent exited. */
  readonly telemetryWaitMs: number;
}

export interface ReplayResult {
  readonly runId: string;
  /** The agent's exit code; null when it was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal?: string;
  readonly durationMs: number;
  readonly failure?: ReplayFailure;
  /**
   * Set when something the agent started outside its process group still held its stdout/stderr
   * after it exited: the run was judged without waiting for it, and that process was left running.
   */
  readonly leftover?: string;
  readonly exchange: GroundTruth;
  readonly exchanges: readonly ModelExchange[];
  readonly records: SpanRecord[];
  readonly malformedTelemetry: readonly MalformedTelemetry[];
  /** The guard ledger the agent kept at TRAILCHECK_LEDGER_DIR during the run; absent when it kept none. */
  readonly ledger?: LedgerReading;
  readonly stdout: string;
  readonly stderr: string;
  readonly timings: ReplayTimings;
}

/** Waits until the receiver has been idle for `quietMs` (and nothing is in flight), at most `maxMs`. */
async function telemetrySettled(receiver: OtlpReceiver, exitedAt: number, quietMs: number, maxMs: number) {
  for (;;) {
    const now = performance.now();
    if (now - exitedAt >= maxMs) return;
    const since = now - Math.max(exitedAt, receiver.lastActivity() ?? 0);
    if (receiver.inFlight() === 0 && since >= quietMs) return;
    await sleep(Math.min(50, quietMs));
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1]?.trim().slice(0, 300) ?? "";
}

interface Outcome {
  readonly exitCode: number | null;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  readonly spawnError: string | undefined;
}

/**
 * The agent's time limit. Node fires a timer longer than 2^31 − 1 ms at once (with a warning), which
 * would kill the agent as it starts; a longer limit waits as long as a timer can.
 */
export function agentTimeoutMs(options: Pick<ReplayOptions, "timeoutMs">): number {
  const ms = options.timeoutMs ?? DEFAULTS.agentTimeoutMs;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 1), LIMITS.timeoutMs.max) : LIMITS.timeoutMs.max;
}

/** Orders the agent's possible failures: the root cause first. */
function classify(
  o: Outcome,
  options: ReplayOptions,
  exchanges: readonly ModelExchange[],
  malformed: readonly MalformedTelemetry[],
  records: readonly SpanRecord[],
  stderr: string,
): ReplayFailure | undefined {
  const said = lastLine(stderr);
  const tail = said ? `; last stderr line: ${said}` : "";
  if (o.timedOut) {
    return {
      kind: "timeout",
      message: `the agent did not finish within ${agentTimeoutMs(options)} ms; it and its child processes were killed`,
    };
  }
  if (o.spawnError) return { kind: "crash", message: `the agent could not be started: ${o.spawnError}` };
  // A shell reports a child killed by signal N as exit code 128+N; 126/127: not executable/not found.
  const shellSignal =
    o.exitCode !== null && o.exitCode > 128 && o.exitCode < 160 ? o.exitCode - 128 : undefined;
  if (o.signal || shellSignal !== undefined) {
    return {
      kind: "crash",
      message: `the agent was killed by ${o.signal ?? `signal ${shellSignal}`}${tail}`,
    };
  }
  if (o.exitCode === 126 || o.exitCode === 127) {
    return { kind: "crash", message: `the agent command could not be run (exit ${o.exitCode})${tail}` };
  }
  const overrun = exchanges.find((e) => e.response.kind === "overrun");
  if (overrun) {
    return {
      kind: "overrun",
      message: `the agent made more model calls than the scenario scripts: ${overrun.response.kind === "overrun" ? overrun.response.message : ""}`,
    };
  }
  if (o.exitCode !== 0)
    return { kind: "nonzero-exit", message: `the agent exited with code ${o.exitCode}${tail}` };
  if (malformed.length > 0) {
    const m = malformed[0]!;
    return {
      kind: "malformed-telemetry",
      message: `${malformed.length} telemetry request(s) refused; first: ${m.status} ${m.message}`,
    };
  }
  if (records.length === 0) {
    return {
      kind: "no-telemetry",
      message:
        "the agent exited without sending any spans to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT " +
        "(is an exporter configured, and is the tracer provider flushed or shut down before exit?)",
    };
  }
  // Every scenario scripts at least one turn. Spans with no model call behind them judge nothing of
  // the scenario: the ground truth is empty, so no gap could be found and the run would pass.
  if (!exchanges.some((e) => e.turn !== undefined)) {
    return {
      kind: "no-model-call",
      message:
        `the agent sent ${records.length} span(s) but ` +
        (exchanges.length > 0
          ? `the mock model refused its ${exchanges.length} request(s) (${exchanges[0]!.response.kind})`
          : "made no call to the mock model at OPENAI_BASE_URL") +
        `, so none of the scenario's ${options.scenario.turns.length} scripted turn(s) was replayed ` +
        "(does the agent read OPENAI_BASE_URL, or call another provider's endpoint?)",
    };
  }
  return undefined;
}

/**
 * Replays a scenario against an agent: starts the mock model and the OTLP receiver on loopback ports
 * of their own, writes the scenario into a temp dir of the run's own, runs the command with the
 * contract's environment, waits for late telemetry, and returns what happened. Never throws for the
 * agent's failures; they are in `failure`.
 *
 * The command goes through `sh -c` (execa `shell: true`): `agent.command` is written like an npm
 * script or a CI step (`npm run agent`, `FOO=1 python agent.py`), from the user's own config, so
 * shell syntax must work. The shell and everything it starts share one process group, which is
 * what a timeout kills.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  // Loaded on the first replay, not with the module: execa is a hundred modules (~0.1 s of start-up),
  // and `fuzz` without --agent, like any command line refused before an agent runs, never spawns one.
  const { execa } = await import("execa");
  const started = performance.now();
  const runId = randomUUID();
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-replay-"));
  const model = await startMockModel({ scenario: options.scenario });
  const receiver = await startOtlpReceiver();
  const stdout = new TailBuffer(options.outputLimit);
  const stderr = new TailBuffer(options.outputLimit);
  try {
    const scenarioFile = join(dir, "scenario.json");
    await writeFile(scenarioFile, JSON.stringify(options.scenario, null, 2));
    // A fresh ledger directory per replay: records of an earlier run can never stand in for this one's.
    const ledgerDir = join(dir, "ledger");
    const env = {
      ...options.env,
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "sk-trailcheck-replay-dummy",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
      TRAILCHECK_INPUT: options.scenario.input,
      TRAILCHECK_SCENARIO: scenarioFile,
      TRAILCHECK_RUN_ID: runId,
      TRAILCHECK_LEDGER_DIR: ledgerDir,
    };
    const spawnedAt = performance.now();
    const child = execa(options.command, {
      shell: true,
      detached: true,
      cwd: options.cwd,
      env,
      stdin: "ignore",
      buffer: false,
      reject: false,
    });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    child.stdout?.on("data", (d: Buffer) => stdout.push(d));
    child.stderr?.on("data", (d: Buffer) => stderr.push(d));

    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGraceMs = options.killGraceMs ?? 2000;
    const timeout = setTimeout(() => {
      timedOut = true;
      if (pid === undefined) return;
      signalGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), killGraceMs);
    }, agentTimeoutMs(options));

    // The leader's exit ends the run: whatever it left behind in its group is killed, which closes
    // the pipes those processes held. One that left the group may hold them still: after the grace
    // they are no longer read (awaiting the subprocess waits for them to close).
    let exitedAt = performance.now();
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => {
        exitedAt = performance.now();
        clearTimeout(timeout);
        clearTimeout(killTimer);
        if (pid !== undefined) signalGroup(pid, "SIGKILL");
        resolve();
      });
    });
    // The subprocess settles without an exit when it could not be spawned.
    await Promise.race([exited, child]);
    const heldOpen = await outputEnded(child, child, killGraceMs);
    const result = await child;
    clearTimeout(timeout);
    clearTimeout(killTimer);
    if (pid !== undefined) {
      signalGroup(pid, "SIGKILL");
      untrackGroup(pid);
    }
    const agentMs = exitedAt - spawnedAt;

    const waitFrom = performance.now();
    await telemetrySettled(
      receiver,
      exitedAt,
      options.telemetryQuietMs ?? 300,
      options.telemetryMaxWaitMs ?? 2000,
    );
    const telemetryWaitMs = performance.now() - waitFrom;

    const exchanges = [...model.exchanges()];
    const records = [...receiver.records()];
    const malformed = [...receiver.malformed()];
    const outcome: Outcome = {
      exitCode: result.exitCode ?? null,
      signal: timedOut ? undefined : (result.signal ?? undefined),
      timedOut,
      spawnError: result.exitCode === undefined && !result.signal ? result.shortMessage : undefined,
    };
    const failure = classify(outcome, options, exchanges, malformed, records, stderr.toString());
    const ledger = await readAgentLedger(ledgerDir);
    await Promise.all([model.close(), receiver.close()]);
    return {
      runId,
      exitCode: outcome.exitCode,
      ...(result.signal ? { signal: result.signal } : {}),
      durationMs: Math.round(agentMs),
      ...(failure ? { failure } : {}),
      ...(heldOpen
        ? {
            leftover:
              `a process the agent started outside its process group (setsid, a detached spawn) still held its ` +
              `stdout/stderr ${killGraceMs} ms after it exited; it was left running and its output is not shown`,
          }
        : {}),
      exchange: groundTruth(exchanges),
      exchanges,
      records,
      malformedTelemetry: malformed,
      ...(ledger ? { ledger } : {}),
      stdout: stdout.toString(),
      stderr: stderr.toString(),
      timings: { totalMs: performance.now() - started, agentMs, telemetryWaitMs },
    };
  } finally {
    await Promise.all([model.close(), receiver.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The ledger the agent kept, read without a key (its completeness is what the replay checks). */
async function readAgentLedger(dir: string): Promise<LedgerReading | undefined> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  return exists ? readLedger(dir) : undefined;
}

/** Runs several replays, at most `concurrency` at once; each is isolated (ports, temp dir). */
export async function runReplays(jobs: readonly ReplayOptions[], concurrency = 1): Promise<ReplayResult[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(jobs.map((job) => limit(() => runReplay(job))));
}
