// Writes the binary trace fixtures of binary-formats.test.ts: four spans from the OpenTelemetry JS SDK,
// serialized by its own OTLP serializers, framed as the collector's file exporter frames messages
// (4-byte big-endian length), compressed by the zstd tool. Run from the repository root:
//   node bin/run-ts.js src/ingest/testdata/make-binary.ts src/ingest/testdata
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

const out = process.argv[2]!;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "support-agent" }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracer = provider.getTracer("proto-fixture", "1.0.0");
const t0 = 1767225600000;
for (const n of [1, 2]) {
  const root = tracer.startSpan(`invoke_agent support-${n}`, {
    startTime: t0 + n * 1000,
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support" },
  });
  const ctx = trace.setSpan(context.active(), root);
  const tool = tracer.startSpan(
    "execute_tool lookup_order",
    {
      startTime: t0 + n * 1000 + 10,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "lookup_order",
        "gen_ai.tool.call.id": `call_${n}`,
        "gen_ai.tool.call.arguments": JSON.stringify({ orderId: `A-${n}` }),
        "retry.count": n,
        amount: 40.5,
      },
    },
    ctx,
  );
  if (n === 2) tool.setStatus({ code: SpanStatusCode.ERROR, message: "payment service unavailable" });
  tool.addEvent("exception", { "exception.type": "Timeout" }, t0 + n * 1000 + 20);
  tool.end(t0 + n * 1000 + 30);
  root.end(t0 + n * 1000 + 50);
}
const spans = exporter.getFinishedSpans();
const json = (s: typeof spans) => Buffer.from(JsonTraceSerializer.serializeRequest(s)!);
const proto = (s: typeof spans) => Buffer.from(ProtobufTraceSerializer.serializeRequest(s)!);
const frame = (b: Buffer) =>
  Buffer.concat([
    Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]),
    b,
  ]);
const zstd = (b: Buffer) => execFileSync("zstd", ["-q", "-c", "-19"], { input: b, maxBuffer: 1 << 30 });
const halves = [spans.slice(0, 2), spans.slice(2)];
writeFileSync(`${out}/otlp.json`, json(spans));
writeFileSync(`${out}/otlp.binpb`, proto(spans));
writeFileSync(`${out}/collector-proto.bin`, Buffer.concat(halves.map((h) => frame(proto(h)))));
writeFileSync(`${out}/collector-json-zstd.bin`, Buffer.concat(halves.map((h) => frame(zstd(json(h))))));
writeFileSync(`${out}/collector-proto-zstd.bin`, Buffer.concat(halves.map((h) => frame(zstd(proto(h))))));
// Whole-file zstd (the exporter.file.nativeCompression feature gate, compression_writer.go): JSON lines
// or length-prefixed messages compressed as one stream, or one frame per write when the file rotates.
const lines = Buffer.concat(halves.flatMap((h) => [json(h), Buffer.from("\n")]));
writeFileSync(`${out}/native-json.jsonl.zst`, zstd(lines));
writeFileSync(`${out}/native-proto.bin.zst`, zstd(Buffer.concat(halves.map((h) => frame(proto(h))))));
writeFileSync(`${out}/native-proto-rotated.bin.zst`, Buffer.concat(halves.map((h) => zstd(frame(proto(h))))));
// A message whose zstd frame expands 9 KB into 300 MB of JSON white space: more than a message may hold.
const blank = Buffer.concat([
  Buffer.from('{"resourceSpans":['),
  Buffer.alloc(300_000_000, " "),
  Buffer.from("]}"),
]);
writeFileSync(`${out}/collector-zstd-bomb.bin`, frame(zstd(blank)));
console.log(spans.length, "spans");
