import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Runs a TypeScript test program (bin/run-ts.js) with `env` added, waits until it prints `ready`,
 * lets it run `runMs`, then SIGKILLs it: a crash at a point nobody chose.
 */
export async function runAndKill(script: string, env: Record<string, string>, runMs: number): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "run-ts.js"), script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  await new Promise<void>((ready, fail) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && ready());
    child.once("exit", (code) =>
      fail(new Error(`${script} exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  await sleep(runMs);
  child.kill("SIGKILL");
  await exited;
}
