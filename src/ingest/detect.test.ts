import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectFormat, detectFormatFromHead } from "./detect.js";

const path = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const MB = 1024 * 1024;
const otlpLine = '{"resourceSpans":[{"scopeSpans":[]}]}';

describe("detectFormat", () => {
  it.each([
    ["otlp-basic.json", "otlp-json"],
    ["collector.jsonl", "collector-jsonl"],
    ["agents-export.json", "openai-agents"],
    ["agents-split.json", "openai-agents"],
    ["agents.jsonl", "openai-agents"],
  ])("%s → %s", async (name, format) => {
    expect(await detectFormat(path(name))).toBe(format);
  });

  it("tells collector lines from a single OTLP document", () => {
    expect(detectFormatFromHead("x.json", `${otlpLine}\n${otlpLine}\n`, 100)).toBe("collector-jsonl");
    expect(detectFormatFromHead("x.json", `\n\n${otlpLine}\n`, 100)).toBe("otlp-json");
    expect(detectFormatFromHead("x.jsonl", `${otlpLine}\n`, 100)).toBe("collector-jsonl");
    expect(detectFormatFromHead("x.json", `{\n  "resourceSpans": [\n`, 100)).toBe("otlp-json");
    expect(detectFormatFromHead("x.json", `{"resourceSpans": [\n  {}]}`, 100)).toBe("otlp-json");
    // The first line runs past the head: lines for a normal file, a streamed document for a huge one.
    expect(detectFormatFromHead("x", '{"resourceSpans":[{"scope', 10 * MB)).toBe("collector-jsonl");
    expect(detectFormatFromHead("x", '{"resourceSpans":[{"scope', 100 * MB)).toBe("otlp-json");
    expect(detectFormatFromHead("x", `${otlpLine}\n`, 10 * MB)).toBe("collector-jsonl");
  });

  it("recognises Agents SDK exports and trailcheck records", () => {
    expect(detectFormatFromHead("a", '[\n  {\n    "object": "trace",', 100)).toBe("openai-agents");
    expect(detectFormatFromHead("a", '{"data":[]}', 100)).toBe("openai-agents");
    expect(detectFormatFromHead("a", '{ "traces": [', 100)).toBe("openai-agents");
    const record = '{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"n"}';
    expect(detectFormatFromHead("r.jsonl", `${record}\n${record}\n`, 100)).toBe("trailcheck-jsonl");
    expect(detectFormatFromHead("r.jsonl", `${record.slice(0, 70)}`, 10 * MB)).toBe("trailcheck-jsonl");
    expect(
      detectFormatFromHead("r.jsonl", '{"attributes":{"traceId":"a","spanId":"b"}}\n', 100),
    ).toBeUndefined();
  });

  it("lists the formats it reads when it cannot tell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailcheck-detect-"));
    const file = join(dir, "notes.txt");
    writeFileSync(file, "hello\n");
    await expect(detectFormat(file)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: ${file}: cannot tell the trace format; trailcheck reads otlp-json, collector-jsonl, openai-agents, trailcheck-jsonl, otlp-proto, collector-proto (is it one of them, and valid JSON?)]`,
    );
  });
});
