// The baseline a check is measured against: read a collector file export line by line and JSON.parse
// every line, nothing else.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

let spans = 0;
// One file, or several in turn (the rotated files of one export).
for (const file of process.argv.slice(2)) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line) continue;
    const body = JSON.parse(line);
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
  }
}
process.stdout.write(`${spans}\n`);
