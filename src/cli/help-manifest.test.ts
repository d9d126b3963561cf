import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { DEV_CLI } from "../testing/dev-cli.js";
import { runCliHere } from "../testing/run-cli.js";
import { helpRequest, renderHelp } from "./help-manifest.js";
import { VERBS } from "./registry.js";

describe("the help manifest", () => {
  it("answers only a bare request for help", () => {
    expect(helpRequest(["--help"])).toBe("");
    expect(helpRequest(["-h"])).toBe("");
    expect(helpRequest(["check", "--help"])).toBe("check");
    expect(helpRequest(["verify-export", "-h"])).toBe("verify-export");
    for (const argv of [
      [],
      ["check"],
      ["incident", "add", "--help"],
      ["--trace", "--help"],
      ["check", "--help", "x"],
    ]) {
      expect(helpRequest(argv), argv.join(" ")).toBeUndefined();
    }
  });

  it("holds the program's help and every verb's, exactly as the CLI prints them live", async () => {
    const texts = await renderHelp();
    expect(Object.keys(texts).sort()).toEqual(["", ...Object.keys(VERBS)].sort());
    for (const verb of ["", "check", "run", "init"]) {
      const live = await execa("node", [...DEV_CLI, ...(verb ? [verb] : []), "--help"], { reject: false });
      expect(live.exitCode).toBe(0);
      expect(texts[verb], verb || "--help").toBe(`${live.stdout}\n`);
    }
  }, 120_000);
});

describe("--version", () => {
  it("prints the package's version and exits 0, as -V does", async () => {
    const { version } = JSON.parse(
      await readFile(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
    );
    for (const flag of ["--version", "-V"]) {
      const r = await runCliHere([flag]);
      expect(r).toEqual({ code: 0, out: `${version}\n`, err: "" });
    }
  });
});
