// One resolution of a project's settings: flags, then TRAILCHECK_* variables, then the project file,
// then the defaults; the profile and the audit time by their own documented order.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCheck } from "../cli/check.js";
import { InputError } from "../errors.js";
import { loadIncident } from "../incidents/load.js";
import { agentTimeoutMs } from "../replay/runner.js";
import { DEFAULTS, dateSeed } from "./defaults.js";
import { auditTime, loadProjectLogging, projectProfile } from "./judging.js";
import { replayFlags, requireAgentCommand, resolveProject } from "./project.js";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");
const TODAY = new Date("2026-03-04T12:00:00Z");
let dir: string;

/** A project folder: `trailcheck.config.yaml` with `config`, and the files named. */
async function project(name: string, config: string | undefined, files: Record<string, string> = {}) {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  if (config !== undefined) await writeFile(join(root, "trailcheck.config.yaml"), config);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, ".."), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof InputError) return err;
  throw new Error(`expected an InputError, got ${String(err)}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-project-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveProject: flags, then TRAILCHECK_* variables, then the file, then the defaults", () => {
  it("takes numRuns and seed from the first source that gives them, and says which", async () => {
    const cwd = await project("order", "properties: { numRuns: 50, seed: 7 }\n");
    const env = { TRAILCHECK_NUM_RUNS: "30", TRAILCHECK_SEED: "9" };
    const flagged = await resolveProject({ cwd, env, flags: { numRuns: 10, seed: 1 }, today: TODAY });
    expect([flagged.numRuns, flagged.seed, flagged.from.numRuns, flagged.from.seed]).toEqual([
      10,
      1,
      "--runs",
      "--seed",
    ]);
    const fromEnv = await resolveProject({ cwd, env, today: TODAY });
    expect([fromEnv.numRuns, fromEnv.seed, fromEnv.from.seed]).toEqual([30, 9, "TRAILCHECK_SEED"]);
    const fromFile = await resolveProject({ cwd, env: {}, today: TODAY });
    expect([fromFile.numRuns, fromFile.seed, fromFile.from.numRuns]).toEqual([
      50,
      7,
      "trailcheck.config.yaml",
    ]);
    const bare = await resolveProject({ cwd: await project("bare", undefined), env: {}, today: TODAY });
    expect([bare.numRuns, bare.seed, bare.from.numRuns, bare.from.seed]).toEqual([
      DEFAULTS.numRuns,
      dateSeed(TODAY),
      "default",
      "today's date",
    ]);
    expect(bare.file).toBeUndefined();
    expect(bare.incidentsDir).toBe(join(dir, "bare", DEFAULTS.incidents));
  });

  it("finds the config file: --config, else TRAILCHECK_CONFIG, else trailcheck.config.yaml in TRAILCHECK_ROOT or cwd", async () => {
    const cwd = await project("files", "incidents: here\n", {
      "other/other.config.yaml": "incidents: there\nlogging: ../logging.yaml\n",
      "rooted/trailcheck.config.yaml": "incidents: rooted-incidents\n",
    });
    const byFlag = await resolveProject({
      cwd,
      env: { TRAILCHECK_CONFIG: "trailcheck.config.yaml" },
      flags: { config: "other/other.config.yaml" },
    });
    expect([byFlag.file, byFlag.from.config]).toEqual([join(cwd, "other", "other.config.yaml"), "--config"]);
    // The file's paths are relative to the file, not to where the command was typed.
    expect(byFlag.incidentsDir).toBe(join(cwd, "other", "there"));
    expect(byFlag.logging).toEqual({ logging: join(cwd, "logging.yaml") });
    const byEnv = await resolveProject({
      cwd,
      env: { TRAILCHECK_CONFIG: join(cwd, "other/other.config.yaml") },
    });
    expect(byEnv.from.config).toBe("TRAILCHECK_CONFIG");
    const byRoot = await resolveProject({ cwd, env: { TRAILCHECK_ROOT: join(cwd, "rooted") } });
    expect(byRoot.incidentsDir).toBe(join(cwd, "rooted", "rooted-incidents"));
    const here = await resolveProject({ cwd, env: {} });
    expect([here.incidentsDir, here.from.config]).toEqual([join(cwd, "here"), "trailcheck.config.yaml"]);
    // A flag's folder is relative to where it was typed, and wins over the file's.
    expect((await resolveProject({ cwd, env: {}, flags: { incidents: "mine" } })).incidentsDir).toBe(
      join(cwd, "mine"),
    );
  });

  it("a named config file must exist and be a file", async () => {
    const cwd = await project("missing", undefined);
    const missing = await rejection(resolveProject({ cwd, env: {}, flags: { config: "nope.yaml" } }));
    expect([missing.code, missing.message]).toEqual([
      "file-not-found",
      "nope.yaml: the project config (--config) does not exist",
    ]);
    const folder = await rejection(resolveProject({ cwd, env: { TRAILCHECK_CONFIG: cwd } }));
    expect(folder.code).toBe("not-a-file");
  });

  it("logging flags replace the file's logging source whole", async () => {
    const cwd = await project("logging", "otelcol: [otelcol.yaml]\nstorage: storage.yaml\n");
    const fromFile = await resolveProject({ cwd, env: {} });
    expect(fromFile.logging).toEqual({
      otelcol: [join(cwd, "otelcol.yaml")],
      storage: join(cwd, "storage.yaml"),
    });
    expect(fromFile.from.logging).toBe("trailcheck.config.yaml");
    const flagged = await resolveProject({ cwd, env: {}, flags: { logging: join(cwd, "native.yaml") } });
    expect(flagged.logging).toEqual({ logging: join(cwd, "native.yaml") });
    expect(flagged.from.logging).toBe("--logging");
  });

  it("bad TRAILCHECK_* numbers are bad input naming the variable, not a crash", async () => {
    const cwd = await project("env", undefined);
    for (const [name, value] of [
      ["TRAILCHECK_SEED", "abc"],
      ["TRAILCHECK_SEED", "1e3"],
      ["TRAILCHECK_SEED", String(2 ** 31)],
      ["TRAILCHECK_NUM_RUNS", "0"],
      ["TRAILCHECK_NUM_RUNS", "-5"],
    ] as const) {
      const err = await rejection(resolveProject({ cwd, env: { [name]: value } }));
      expect(err.code).toBe("bad-environment");
      expect(err.message).toContain(`${name} must be an integer`);
    }
  });

  it("agent timeouts: a flag or agent.timeout, at most what a timer can hold", async () => {
    const cwd = await project("timeout", "agent: { command: agent, timeout: 2m }\n");
    expect((await resolveProject({ cwd, env: {} })).agentTimeoutMs).toBe(120_000);
    expect((await resolveProject({ cwd, env: {}, flags: { timeout: "5s" } })).agentTimeoutMs).toBe(5_000);
    const tooLong = await rejection(resolveProject({ cwd, env: {}, flags: { timeout: "25d" } }));
    expect(tooLong.message).toBe("--timeout must be at most 24d (the longest a timer can wait), not '25d'");
    const inFile = await rejection(
      resolveProject({
        cwd: await project("timeout-file", "agent: { command: a, timeout: 30d }\n"),
        env: {},
      }),
    );
    expect(inFile.code).toBe("bad-project-config");
    expect(inFile.message).toMatch(
      /trailcheck\.config\.yaml \(agent\.timeout\): agent\.timeout must be at most 24d/,
    );
    expect(
      (await resolveProject({ cwd: await project("no-timeout", undefined), env: {} })).agentTimeoutMs,
    ).toBe(DEFAULTS.agentTimeoutMs);
    // Library callers that pass a longer limit wait as long as a timer can, instead of not at all.
    expect(agentTimeoutMs({ timeoutMs: 25 * 86_400_000 })).toBe(2 ** 31 - 1);
    expect(agentTimeoutMs({})).toBe(DEFAULTS.agentTimeoutMs);
  });

  it("the agent to replay against: --agent over agent.command, and none is bad input", async () => {
    const cwd = await project("agent", "agent: { command: node agent.js }\n");
    expect(requireAgentCommand(await resolveProject({ cwd, env: {} }))).toBe("node agent.js");
    const flagged = await resolveProject({ cwd, env: {}, flags: { agent: "node other.js" } });
    expect(requireAgentCommand(flagged)).toBe("node other.js");
    const none = await resolveProject({ cwd: await project("no-agent", undefined), env: {} });
    const err = await rejection(Promise.resolve().then(() => requireAgentCommand(none)));
    expect(err.code).toBe("no-agent");
    expect(err.message).toMatch(/^no agent to replay against: pass --agent "COMMAND"/);
  });

  it("replay commands name the config file only when it isn't the one found anyway", async () => {
    const cwd = await project("replay", "incidents: here\n", { "b/other.yaml": "incidents: x\n" });
    expect(replayFlags(await resolveProject({ cwd, env: {} }), cwd)).toEqual([]);
    const other = await resolveProject({ cwd, env: {}, flags: { config: "b/other.yaml" } });
    expect(replayFlags(other, cwd)).toEqual(["--config", join("b", "other.yaml")]);
  });
});

describe("the profile: --profile, the incident's own, the project's, the logging config's compliance, reconstructable", () => {
  const incidentFile = join(
    ROOT,
    "incidents",
    "INC-0001-customer-complaint-refund-run-for-order-a-1001.yaml",
  );

  it("decides in that order, and says what decided", async () => {
    const cwd = await project(
      "profile",
      `logging: ${join(EXAMPLES, "logging", "passing.yaml")}\nprofile: hipaa\n`,
    );
    const loaded = await loadIncident(incidentFile);
    const withOwn = {
      ...loaded,
      incident: { ...loaded.incident, expect: { ...loaded.incident.expect, profile: "soc2" } },
    };
    const choose = async (flags: { profile?: string }, incident?: typeof loaded, config?: string) => {
      const p = await resolveProject({
        cwd: config ? await project(`p-${config.length}`, config) : cwd,
        env: {},
        flags,
      });
      const chosen = await projectProfile(p, await loadProjectLogging(p), incident);
      return [chosen.profile.name, chosen.from];
    };
    expect(await choose({ profile: "pci-dss-4" }, withOwn)).toEqual(["pci-dss-4", "--profile"]);
    expect(await choose({}, withOwn)).toEqual(["soc2", "INC-0001"]);
    expect(await choose({}, loaded)).toEqual(["hipaa", "trailcheck.config.yaml"]);
    const noProfile = `logging: ${join(EXAMPLES, "logging", "passing.yaml")}\n`;
    expect((await choose({}, loaded, noProfile))[0]).toBe("eu-ai-act");
    const noCompliance = await project("no-compliance", "logging: l.yaml\n", {
      "l.yaml": "streams: [{ name: a }]\n",
    });
    const bare = await resolveProject({ cwd: noCompliance, env: {} });
    expect(await projectProfile(bare, await loadProjectLogging(bare))).toMatchObject({
      profile: { name: "reconstructable" },
      from: "default",
    });
  });

  it("`check` judges under the project's `profile:` (it used to take the logging config's compliance)", async () => {
    const cwd = await project("check-profile", "profile: pci-dss-4\n");
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await runCheck(
        {
          trace: join(EXAMPLES, "traces", "ai-sdk-v6.otlp.json"),
          logging: join(EXAMPLES, "logging", "passing.yaml"),
          format: "json",
        },
        cwd,
      );
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(out)).toMatchObject({ profile: "pci-dss-4", auditAfter: "12mo" });
  });

  it("the audit time: --audit-after, the incident's, the profile's minimum retention, right after the run", async () => {
    const loaded = await loadIncident(incidentFile);
    const cwd = await project("audit", `logging: ${join(EXAMPLES, "logging", "passing.yaml")}\n`);
    const p = await resolveProject({ cwd, env: {} });
    const { profile } = await projectProfile(p, await loadProjectLogging(p));
    expect(auditTime({ auditAfter: "3d" }, profile, loaded)).toMatchObject({
      text: "3d",
      from: "--audit-after",
    });
    expect(auditTime(p, profile, loaded)).toMatchObject({ text: "7d", from: "INC-0001" });
    expect(auditTime(p, profile)).toMatchObject({ text: "6mo", from: "minimum retention of eu-ai-act" });
    const bare = await projectProfile(
      await resolveProject({ cwd: await project("a0", undefined), env: {} }),
      undefined,
    );
    expect(auditTime({}, bare.profile)).toMatchObject({ ns: 0n, text: "0s", from: "default" });
    expect(() => auditTime({ auditAfter: "soon" }, profile)).toThrow(InputError);
  });

  it("no logging config anywhere is bad input that says where to name one", async () => {
    const p = await resolveProject({ cwd: await project("none", "incidents: x\n"), env: {} });
    const err = await rejection(loadProjectLogging(p));
    expect(err.code).toBe("no-logging-config");
    expect(err.message).toMatch(
      /trailcheck\.config\.yaml \(logging\): no logging config: pass --logging FILE/,
    );
  });
});
