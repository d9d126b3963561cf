// Regenerates every example trace: `npm run examples:traces`. Each generator runs in its own Node
// process, so that global OTel registrations, module patches and the fake clock cannot leak.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const runTs = resolve(here, "../../../bin/run-ts.js");
const generators = [
  "ai-sdk-v6.ts",
  "ai-sdk-v5.ts",
  "genai-semconv.ts",
  "openinference.ts",
  "openai-agents.ts",
  // Reads the AI SDK v6 outputs, so it runs after ai-sdk-v6.ts.
  "collector-file-export.ts",
];
for (const generator of generators) {
  process.stdout.write(`# ${generator}\n`);
  execFileSync(process.execPath, [runTs, resolve(here, generator)], { stdio: "inherit" });
}
