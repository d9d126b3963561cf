// The check seals in a worker thread when a sealed stream meets a large file. What it reports must be
// what it reports without one, and the worker must end on every path; a failing worker fails the check.

import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeCorpus } from "../../bench/corpus.js";
import { isUserFacingError } from "../errors.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { type CheckFlags, type CheckTuning, runCheck } from "./check.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TRACES = join(ROOT, "examples", "traces");
const EXAMPLE_TRACES = readdirSync(TRACES).filter((f) => /\.(json|jsonl)$/.test(f));
const PASSING = join(ROOT, "examples", "logging", "passing.yaml");
/** Every record sealed, one stream (the bench's), and sealed streams behind tail sampling and redaction. */
const SEALED = `streams:
  - { name: all, match: { default: true }, retention: 400d, integrity: merkle-checkpoints }
`;
const SEALED_MIX = `streams:
  - name: tail
    match: { default: true }
    processors:
      - tail_sampling: { decision_wait: 30s, num_traces: 3, policies: [{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }] }
    retention: 400d
    integrity: merkle-checkpoints
  - name: redacted
    match: { kind: [llm, tool] }
    processors:
      - redaction: { allow_all_keys: false, allowed_keys: [gen_ai.request.model] }
    retention: 2d
    integrity: merkle-checkpoints
  - { name: plain, match: { default: true }, retention: 400d }
`;

let dir: string;
const configs: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-check-worker-"));
  for (const [name, text] of Object.entries({ sealed: SEALED, mix: SEALED_MIX })) {
    configs[name] = join(dir, `${name}.yaml`);
    await writeFile(configs[name], text);
  }
  configs.passing = PASSING;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** runCheck in this process: its exit code and what it printed. */
async function check(flags: Record<string, string>, tuning: CheckTuning) {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const code = await runCheck({ format: "text", ...flags } as CheckFlags, ROOT, tuning);
    return { code, out: out.join("") };
  } finally {
    spy.mockRestore();
  }
}

const IN_WORKER: CheckTuning = { sealInWorkerFrom: 0 };
const HERE: CheckTuning = { sealInWorkerFrom: Number.POSITIVE_INFINITY };

/** A worker that seals nothing and answers as if the seals of log 0 had failed. */
const FAILING_SEALS = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (m) => {
  if (m.kind === "finish") {
    parentPort.postMessage({ kind: "logs", logs: [{ size: 1, root: "00", valid: false, findings: ["planted finding"] }] });
  } else parentPort.postMessage({ kind: "done", bytes: m.bytes }, [m.bytes.buffer]);
});`;

describe("check with a worker thread sealing", () => {
  it.each(EXAMPLE_TRACES)("reports %s exactly as it does sealing in its own thread", async (trace) => {
    for (const config of Object.values(configs)) {
      for (const format of ["json", "text"]) {
        const flags = { trace: join(TRACES, trace), logging: config, format };
        const here = await check(flags, HERE);
        expect(await check(flags, IN_WORKER)).toEqual(here);
      }
    }
  });

  it("checks again with its own seals when a seal made in the worker fails, and reports what those say", async () => {
    const flags = { trace: join(TRACES, "ai-sdk-v6.otlp.json"), logging: configs.sealed!, format: "json" };
    const here = await check(flags, HERE);
    let started: Worker | undefined;
    const sealWorker = () => {
      started = new Worker(FAILING_SEALS, { eval: true });
      return started;
    };
    const redone = await check(flags, { sealInWorkerFrom: 0, sealWorker });
    expect(started).toBeDefined();
    expect(redone).toEqual(here);
    expect(redone.out).not.toContain("planted finding");
    expect(started!.threadId).toBe(-1);
  });

  it("fails with the worker's error, never a verdict, when the worker fails; the worker is gone", async () => {
    let started: Worker | undefined;
    const sealWorker = () => {
      started = new Worker(
        `require("node:worker_threads").parentPort.on("message", () => { throw new Error("planted"); })`,
        {
          eval: true,
        },
      );
      return started;
    };
    const flags = { trace: join(TRACES, "collector-file-export.jsonl"), logging: configs.sealed! };
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    try {
      const failed = await runCheck({ format: "text", ...flags } as never, ROOT, {
        sealInWorkerFrom: 0,
        sealWorker,
      }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed).toBeInstanceOf(Error);
      expect(isUserFacingError(failed)).toBe(false);
      expect((failed as Error).message).toMatch(/sealing in a worker thread failed: planted/);
    } finally {
      spy.mockRestore();
    }
    expect(out.join("")).toBe("");
    expect(started!.threadId).toBe(-1);
  });

  it("ends the worker when the input breaks part way: exit 2 naming the line", async () => {
    const lines = (await readFile(join(TRACES, "collector-file-export.jsonl"), "utf8")).trimEnd().split("\n");
    const broken = join(dir, "broken.jsonl");
    await writeFile(broken, [...lines.slice(0, 2), '{"resourceSpans": [', ...lines.slice(2)].join("\n"));
    let started: Worker | undefined;
    const { startSealWorker } = await import("./check-sealer.js");
    const sealWorker = () => {
      started = startSealWorker();
      return started;
    };
    const failed = await check(
      { trace: broken, logging: configs.sealed! },
      { sealInWorkerFrom: 0, sealWorker },
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isUserFacingError(failed)).toBe(true);
    expect((failed as Error).message).toContain("broken.jsonl:3");
    expect(started!.threadId).toBe(-1);
  });
});

describe("check sealing in a worker thread, as a process", () => {
  const program = join(ROOT, "src", "testing", "check-in-worker.ts");
  const runTs = join(ROOT, "bin", "run-ts.js");

  it("ends by itself once done, and prints what the check prints sealing in its own thread", async () => {
    const args = [join(TRACES, "collector-file-export.jsonl"), configs.mix!];
    const inWorker = await execa(process.execPath, [runTs, program, ...args], {
      cwd: ROOT,
      reject: false,
      timeout: 30_000,
    });
    const here = await execa(
      process.execPath,
      [...DEV_CLI, "check", "--trace", args[0]!, "--logging", args[1]!, "--format", "json"],
      {
        cwd: ROOT,
        reject: false,
      },
    );
    expect(inWorker.timedOut).toBe(false);
    expect(inWorker.stderr).toBe("ready");
    expect([inWorker.exitCode, inWorker.stdout]).toEqual([here.exitCode, here.stdout]);
  }, 60_000);

  it("stops at once on SIGINT while the worker runs", async () => {
    // Large enough that the check is still reading when the worker is up.
    const big = join(dir, "big.jsonl");
    await writeCorpus(big, 24 << 20);
    const child = execa(process.execPath, [runTs, program, big, configs.sealed!], {
      cwd: ROOT,
      reject: false,
    });
    await new Promise<void>((ready) =>
      child.stderr!.on("data", (d: Buffer) => d.toString().includes("ready") && ready()),
    );
    const sent = Date.now();
    child.kill("SIGINT");
    const result = await child;
    expect(result.signal).toBe("SIGINT");
    expect(result.stdout).toBe("");
    expect(Date.now() - sent).toBeLessThan(3000);
  }, 60_000);
});
