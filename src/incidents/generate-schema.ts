// Regenerates schemas/incident.schema.json from the zod schema:
//   node bin/run-ts.js src/incidents/generate-schema.ts
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { INCIDENT_SCHEMA_PATH, incidentJsonSchemaText } from "./json-schema.js";

const target = join(import.meta.dirname, "..", "..", INCIDENT_SCHEMA_PATH);
await writeFile(target, incidentJsonSchemaText());
process.stdout.write(`${INCIDENT_SCHEMA_PATH}\n`);
