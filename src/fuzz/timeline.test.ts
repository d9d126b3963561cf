import { describe, expect, it } from "vitest";
import { span } from "../testing/records.js";
import { formatRunTimeline } from "./timeline.js";

describe("formatRunTimeline", () => {
  it("times spans from the run's start as every timeline does, and shows when a long span ends", () => {
    const agent = span({ id: 1, name: "agent", attributes: { "gen_ai.operation.name": "invoke_agent" } });
    const tool = span({ id: 2, parent: 1, startS: 1.235, name: "slow" });
    const lines = formatRunTimeline([
      agent,
      { ...tool, end: (BigInt(tool.start) + 45_000_999_999n).toString() },
    ]);
    expect(lines[0]).toMatch(/ · 2 span\(s\) over 46\.234s$/);
    expect(lines[1]).toMatch(/^ {2}\+0\.000s {3}agent /);
    expect(lines[2]).toMatch(/^ {2}\+1\.234s {3}\S+ +slow .* \(ends \+46\.234s\)$/);
  });
});
