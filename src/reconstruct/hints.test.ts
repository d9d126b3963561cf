import { describe, expect, it } from "vitest";
import { FactNameSchema } from "../model/action.js";
import { CAUSES } from "../model/gap.js";
import { fixHint, hintFor } from "./hints.js";

describe("hintFor", () => {
  it("gives fixHint's text for every context, however contexts that differ in one part come in turn", () => {
    const contexts = [];
    for (const fact of FactNameSchema.options) {
      for (const stream of [undefined, "all", "llm"]) {
        for (const key of [undefined, "", "gen_ai.prompt", "input.value"])
          contexts.push({ fact, stream, key });
      }
    }
    // Twice over, the second time in reverse: the first pass fills the cache, the second reads it.
    for (const order of [contexts, [...contexts].reverse()]) {
      for (const cause of CAUSES) {
        for (const context of order) expect(hintFor(cause, context)).toBe(fixHint(cause, context));
      }
    }
  });

  it("still gives fixHint's text once it has made as many hints as it keeps", () => {
    // Far more streams than any config has: past the bound, known contexts are read and new ones made.
    for (let i = 0; i < 12_000; i++) {
      const context = { fact: "record" as const, stream: `stream-${i}` };
      expect(hintFor("sampling", context)).toBe(fixHint("sampling", context));
    }
    for (const i of [0, 9_999, 11_999]) {
      const context = { fact: "arguments" as const, stream: `stream-${i}`, key: "k" };
      expect(hintFor("redaction", context)).toBe(fixHint("redaction", context));
      expect(hintFor("sampling", { fact: "record", stream: `stream-${i}` })).toBe(
        fixHint("sampling", { fact: "record", stream: `stream-${i}` }),
      );
    }
  });
});
