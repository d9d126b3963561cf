import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "./shell-quote.js";

/** What a POSIX shell makes of the quoted words: one argument each, NUL-separated. */
function throughShell(args: readonly string[]): string[] {
  const out = execFileSync("sh", ["-c", `printf '%s\\0' ${args.map(shellQuote).join(" ")}`]);
  return out.toString("utf8").split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it("leaves plain words as they are", () => {
    expect(shellQuote("--store")).toBe("--store");
    expect(shellQuote("s3:/mnt/traces/a-1.json")).toBe("s3:/mnt/traces/a-1.json");
  });

  it("quotes what a shell would split, expand or end, and the shell gives back the very argument", () => {
    const args = [
      "two words",
      "it's",
      "$HOME",
      "`id`",
      "a;b",
      "*",
      "",
      '"q"',
      "tab\there",
      "line\nbreak",
      "'''",
    ];
    expect(throughShell(args)).toEqual(args);
  });
});
