import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { VERBS, verbsFor } from "./registry.js";

const names = async (argv: string[]) => {
  const program = new Command();
  for (const register of await verbsFor(argv)) register(program);
  return program.commands.map((c) => c.name());
};

describe("verbsFor", () => {
  it("loads only the verb the command line names", async () => {
    expect(await names(["check", "--trace", "run.json"])).toEqual(["check"]);
    expect(await names(["verify-export", "bundle"])).toEqual(["verify-export"]);
  });

  it("loads every verb for help or an unknown verb, each registering under its own name", async () => {
    expect(await names(["--help"])).toEqual(Object.keys(VERBS));
    expect(await names(["bogus"])).toEqual(Object.keys(VERBS));
  });
});
