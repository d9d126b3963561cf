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
});
