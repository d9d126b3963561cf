import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_SCHEMA_PATH, auditJsonSchemaText } from "./schema.js";

const root = join(import.meta.dirname, "..", "..");

describe("audit JSON output", () => {
  it("the committed JSON Schema is the one generated from the zod schema (regenerate: node bin/run-ts.js src/audit/generate-schema.ts)", async () => {
    expect(await readFile(join(root, AUDIT_SCHEMA_PATH), "utf8")).toBe(auditJsonSchemaText());
  });
});
