// Does its work and exports one valid span, then sends a body that is not an OTLP message.
import { chat, chatSpan, exportJson } from "./_lib.mjs";

await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
await exportJson([chatSpan()]);
const res = await fetch(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, {
  method: "POST",
  headers: { "content-type": "application/x-protobuf" },
  body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]),
});
process.stdout.write(`garbage answered ${res.status}\n`);
