// Regenerates schemas/results.schema.json from the zod schema:
//   node bin/run-ts.js src/report/generate-schema.ts
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RESULTS_SCHEMA_PATH, resultsJsonSchemaText } from "./results.js";

const target = join(import.meta.dirname, "..", "..", RESULTS_SCHEMA_PATH);
await writeFile(target, resultsJsonSchemaText());
process.stdout.write(`${RESULTS_SCHEMA_PATH}\n`);
