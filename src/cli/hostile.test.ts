// A crash is never a verdict: a user's mistake exits 2 with one line naming the file (no stack, no
// hang, fast), a bug in trailcheck exits 70 with one line and the details in a file. The many cases run
// the CLI's own entry in this process; the ones that need a real process (a FIFO nobody writes, an
// error escaping every promise, another user's permissions) spawn it.
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR_CODES, ExitCode } from "../errors.js";
import { DEV_CLI } from "../testing/dev-cli.js";
import { exampleResults } from "../testing/example-results.js";
import { runCliHere } from "../testing/run-cli.js";
import { exitCodeFor } from "./program.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LOGGING = join(ROOT, "examples", "logging", "passing.yaml");
const TRACE = join(ROOT, "examples", "traces", "ai-sdk-v6.otlp.json");
let dir: string;

/** A YAML "billion laughs": nine levels of nine aliases each, 9⁹ strings once expanded. */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ..."bcdefghi".split("").map((c, i) => {
    const p = "abcdefghi"[i]!;
    return `${c}: &${c} [${Array(9).fill(`*${p}`).join(",")}]`;
  }),
  "",
].join("\n");

const cli = runCliHere;

/** Bad input: exit 2, one line on stderr naming `file`, no stack trace. */
function expectBadInput(r: { code: number; err: string }, file: string, what: RegExp) {
  expect(r.code, r.err).toBe(ExitCode.badInput);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toContain(file);
  expect(r.err).toMatch(what);
  expect(r.err).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-hostile-"));
  await mkdir(join(dir, "folder"));
  execFileSync("mkfifo", [join(dir, "fifo")]);
  await writeFile(join(dir, "bomb.yaml"), `${BOMB}streams: []\n`);
  await writeFile(join(dir, "bomb.config.yaml"), BOMB);
  await mkdir(join(dir, "incidents"));
  await writeFile(join(dir, "incidents", "INC-0001-bomb.yaml"), `${BOMB}id: INC-0001\n`);
  await writeFile(join(dir, "a-file"), "not a folder\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a user's mistake is exit 2 with the file named, never a crash", () => {
  it("a folder or a FIFO as --trace, seal --in or incident add's input", async () => {
    const folder = join(dir, "folder");
    const fifo = join(dir, "fifo");
    const key = join(dir, "key");
    await execa("node", [...DEV_CLI, "keygen", "--out", key]);
    expectBadInput(await cli(["check", "--trace", folder, "--logging", LOGGING]), folder, /is a folder/);
    expectBadInput(await cli(["check", "--trace", fifo, "--logging", LOGGING]), fifo, /is a FIFO/);
    for (const input of [folder, fifo]) {
      const sealed = join(dir, "sealed");
      const seal = await cli(["seal", "--in", input, "--out", sealed, "--key", join(key, "private.pem")]);
      expectBadInput(seal, input, /not a regular file/);
      const add = await cli(["incident", "add", input, "--dir", join(dir, "added")]);
      expectBadInput(add, input, /not a regular file/);
    }
  }, 60_000);

  it("a YAML alias bomb in a logging config, trailcheck.config.yaml or an incident file", async () => {
    const logging = join(dir, "bomb.yaml");
    expectBadInput(await cli(["analyze", "--logging", logging]), logging, /alias bomb is refused/);
    const config = join(dir, "bomb.config.yaml");
    const check = await cli(["check", "--trace", TRACE], { TRAILCHECK_CONFIG: config });
    expectBadInput(check, config, /alias bomb is refused/);
    const incident = join(dir, "incidents", "INC-0001-bomb.yaml");
    const show = await cli(["incident", "show", "1", "--dir", join(dir, "incidents")]);
    expectBadInput(show, incident, /alias bomb is refused/);
  });

  it("report --output naming a file, and a bad TRAILCHECK_SEED", async () => {
    const shard = join(dir, "shard");
    await mkdir(shard);
    await writeFile(join(shard, "results.json"), JSON.stringify(await exampleResults()));
    const output = join(dir, "a-file");
    expectBadInput(
      await cli(["report", "--merge", shard, "--output", output]),
      output,
      /not a folder|is a file/,
    );
    const seed = await cli(["fuzz", "--logging", LOGGING, "--runs", "1"], { TRAILCHECK_SEED: "tomorrow" });
    expect(seed.code).toBe(ExitCode.badInput);
    expect(seed.err).toBe(
      "trailcheck: TRAILCHECK_SEED must be an integer from -2147483648 to 2147483647, not 'tomorrow'\n",
    );
  });
});

describe("as whole processes", () => {
  const spawn = (args: string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}) =>
    execa("node", [...(options.nodeArgs ?? []), ...DEV_CLI, ...args], {
      reject: false,
      timeout: 60_000,
      env: { NO_COLOR: "1", ...options.env },
    });

  it("a FIFO nobody writes to is refused at once, not waited on", async () => {
    const fifo = join(dir, "fifo");
    const r = await spawn(["check", "--trace", fifo, "--logging", LOGGING]);
    expect(r.timedOut).toBe(false);
    expectBadInput({ code: r.exitCode ?? -1, err: r.stderr }, fifo, /is a FIFO/);
  }, 90_000);

  it("a read-only incidents folder for incident add", async () => {
    const readOnly = join(dir, "read-only");
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    await chmod(dir, 0o755);
    // root writes anywhere: run the add as root without the capabilities that override file
    // permissions, so the folder is read-only to it while the checkout, wherever it is, stays readable.
    const asRoot = process.getuid?.() === 0;
    const r = asRoot
      ? await execa(
          "setpriv",
          [
            "--bounding-set=-dac_override,-dac_read_search",
            "node",
            ...DEV_CLI,
            "incident",
            "add",
            TRACE,
            "--dir",
            readOnly,
          ],
          { reject: false, timeout: 60_000, env: { HOME: dir } },
        )
      : await spawn(["incident", "add", TRACE, "--dir", readOnly]);
    expectBadInput(
      { code: r.exitCode ?? -1, err: r.stderr },
      readOnly,
      /cannot write into the incidents folder.*permission denied/,
    );
  }, 90_000);

  it("a bug in trailcheck exits 70 with one line and the details in a file, never 1", async () => {
    // An error thrown outside any verb's promise, as a bug in an event handler would be.
    // It fires once the CLI has installed its handlers, while the verb is still running.
    const planted =
      "data:text/javascript,setInterval(()=>{if(process.listenerCount('uncaughtException'))throw new TypeError('planted bug')},5)";
    const r = await spawn(["fuzz", "--logging", LOGGING, "--runs", "100000"], {
      nodeArgs: ["--import", planted],
    });
    expect(r.exitCode).toBe(ExitCode.internal);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const m =
      /^trailcheck: internal error — please report it \(TypeError: planted bug\); details in (\S+)$/.exec(
        r.stderr.trim(),
      );
    expect(m, r.stderr).not.toBeNull();
    const details = await readFile(m![1]!, "utf8");
    expect(details).toMatch(/TypeError: planted bug\n\s+at /);
    expect(details).toContain("command: trailcheck fuzz");
    await rm(m![1]!);
  }, 90_000);
});

describe("a bug is exit 70, not a verdict", () => {
  it("writes the stack to a file and prints one line", async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => {
      printed.push(String(c));
      return true;
    });
    const code = exitCodeFor(new RangeError("index out of range"), ["check"]);
    spy.mockRestore();
    const err = printed.join("");
    expect(code).toBe(70);
    const file = /details in (\S+)\n$/.exec(err)?.[1];
    expect(err).toMatch(
      /^trailcheck: internal error — please report it \(RangeError: index out of range\); details in /,
    );
    expect(await readFile(file!, "utf8")).toMatch(/RangeError: index out of range\n\s+at /);
    await rm(file!);
  });
});

describe("the error codes", () => {
  it("are one closed list, and the README documents exactly that list", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (\d+) \| (.+) \|$/gm)].map((m) => [
      m[1],
      Number(m[2]),
      m[3],
    ]);
    expect(rows).toEqual(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.exit, e.meaning]));
  });
});
