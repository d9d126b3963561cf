// Regenerates schemas/audit.schema.json from the zod schema:
//   node bin/run-ts.js src/audit/generate-schema.ts
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AUDIT_SCHEMA_PATH, auditJsonSchemaText } from "./schema.js";

const target = join(import.meta.dirname, "..", "..", AUDIT_SCHEMA_PATH);
await writeFile(target, auditJsonSchemaText());
process.stdout.write(`${AUDIT_SCHEMA_PATH}\n`);
