import { z } from "zod";
import { IncidentSchema } from "./schema.js";

/** Where the committed JSON Schema lives, relative to the package root. */
export const INCIDENT_SCHEMA_PATH = "schemas/incident.schema.json";

/**
 * The JSON Schema of an incident file, generated from the zod schema so the two never drift; editors
 * use it to complete and check `incidents/*.yaml`. `io: "input"` because files may omit defaults.
 */
export function incidentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(IncidentSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    $id: "https://trailcheck.dev/schemas/incident.schema.json",
    title: "trailcheck incident",
    description:
      "A recorded run that could not be reconstructed, kept as a permanent regression test (trailcheck DESIGN §8).",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function incidentJsonSchemaText(): string {
  return `${JSON.stringify(incidentJsonSchema(), null, 2)}\n`;
}
