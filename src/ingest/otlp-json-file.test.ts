import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { recordsFromOtlpJson } from "./otlp-json.js";
import { streamOtlpJsonFile } from "./otlp-json-file.js";

const FIXTURE = fileURLToPath(new URL("./testdata/otlp-basic.json", import.meta.url));
const body = JSON.parse(readFileSync(FIXTURE, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "trailcheck-otlp-stream-"));

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe("streaming OTLP/JSON (the path for files over 64 MB)", () => {
  it("a file it cannot read is a file-system refusal naming it, not bad JSON", async () => {
    await expect(collect(streamOtlpJsonFile(join(dir, "missing.json")))).rejects.toMatchObject({
      code: "file-not-found",
      location: { file: join(dir, "missing.json") },
    });
    await expect(collect(streamOtlpJsonFile(dir))).rejects.toMatchObject({
      code: "file-system",
      location: { file: dir },
    });
  });

  it("gives the same records as parsing the document whole", async () => {
    expect(await collect(streamOtlpJsonFile(FIXTURE))).toEqual(recordsFromOtlpJson(body, { file: FIXTURE }));
  });

  it("copes with resource and scope written after the spans", async () => {
    const reordered = {
      resourceSpans: body.resourceSpans.map(
        (rs: { resource: unknown; scopeSpans: { scope?: unknown }[] }) => ({
          scopeSpans: rs.scopeSpans.map((ss) => ({
            spans: (ss as { spans: unknown }).spans,
            scope: ss.scope,
          })),
          resource: rs.resource,
        }),
      ),
    };
    const file = join(dir, "reordered.json");
    writeFileSync(file, JSON.stringify(reordered));
    const got = await collect(streamOtlpJsonFile(file));
    const want = recordsFromOtlpJson(body, { file });
    expect(got.map((r) => r.spanId).sort()).toEqual(want.map((r) => r.spanId).sort());
    for (const r of got) expect(r).toEqual(want.find((w) => w.spanId === r.spanId));
  });

  it("filters by trace id and names the field of bad data", async () => {
    const one = await collect(streamOtlpJsonFile(FIXTURE, { traceId: "0af7651916cd43dd8448eb211c80319c" }));
    expect(one.map((r) => r.name)).toEqual(["chat gpt-4o"]);
    const bad = structuredClone(body);
    bad.resourceSpans[1].scopeSpans[0].spans[0].endTimeUnixNano = "soon";
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(bad));
    await expect(collect(streamOtlpJsonFile(file))).rejects.toThrow(
      "(resourceSpans[1].scopeSpans[0].spans[0].endTimeUnixNano): expected unix nanoseconds as a decimal string",
    );
    writeFileSync(file, '{"resourceSpans":[{"scopeSpans":[{"spans":[{]}]}]}');
    await expect(collect(streamOtlpJsonFile(file))).rejects.toMatchObject({ code: "bad-json" });
    // Broken JSON says where in the document it broke, not only that it did.
    const span = '{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}';
    writeFileSync(file, `{"resourceSpans":[{},{"scopeSpans":[{"spans":[${span},${span.slice(0, 30)}`);
    await expect(collect(streamOtlpJsonFile(file))).rejects.toThrow(
      `${file} (resourceSpans[1].scopeSpans[0].spans[1]): not valid JSON:`,
    );
    writeFileSync(
      file,
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"a","value":{"stringValue":"x"}}, nul]}}]}',
    );
    await expect(collect(streamOtlpJsonFile(file))).rejects.toThrow(
      `${file} (resourceSpans[0].resource): not valid JSON:`,
    );
  });
});
