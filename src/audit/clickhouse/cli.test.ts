import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CLI } from "../../testing/dev-cli.js";

// `trailcheck audit` with a ClickHouse store as a user runs it, where nothing is there to read.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-ch-cli-"));
  // A module hook that makes this process see no chdb package, as an installation without it would.
  await writeFile(
    join(dir, "hooks.mjs"),
    `export async function resolve(specifier, context, next) {
  if (specifier === "chdb" || specifier.startsWith("chdb/")) {
    const err = new Error("Cannot find package 'chdb' imported from " + context.parentURL);
    err.code = "ERR_MODULE_NOT_FOUND";
    throw err;
  }
  return next(specifier, context);
}
`,
  );
  await writeFile(
    join(dir, "no-chdb.mjs"),
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`,
  );
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (args: string[], nodeArgs: string[] = []) =>
  execa(process.execPath, [...nodeArgs, ...DEV_CLI, "audit", ...args], {
    reject: false,
    env: { CLICKHOUSE_PASSWORD: "s3cret" },
  });

describe("trailcheck audit --store for ClickHouse", () => {
  it("exits 2 naming the install command when chdb is not installed", async () => {
    const result = await cli(
      ["--store", `chdb:${join(dir, "data")}`],
      ["--import", join(dir, "no-chdb.mjs")],
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("the optional package chdb, which is not installed: npm install chdb");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 when the server can't be reached, without printing the password", async () => {
    const result = await cli(["--store", "clickhouse://auditor:hunter2@127.0.0.1:1/otel"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("cannot reach ClickHouse at http://127.0.0.1:1");
    // One line: no client log lines, no stack of the connection error (a user's mistake is no crash).
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stderr).not.toContain("s3cret");
  });

  it("exits 2 on a spec that is not a ClickHouse URL", async () => {
    const result = await cli(["--store", "clickhouse://db.example/a/b"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("the path names one database");
  });
});
