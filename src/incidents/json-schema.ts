import { documentedJsonSchema, jsonSchemaText } from "../model/json-schema.js";
import { IncidentSchema } from "./schema.js";

/** Where the committed JSON Schema lives, relative to the package root. */
export const INCIDENT_SCHEMA_PATH = "schemas/incident.schema.json";

/**
 * The JSON Schema of an incident file, generated from the zod schema so the two never drift; editors
 * use it to complete and check `incidents/*.yaml`. `io: "input"` because files may omit defaults.
 */
export function incidentJsonSchema(): Record<string, unknown> {
  return documentedJsonSchema(IncidentSchema, {
    io: "input",
    id: "https://trailcheck.dev/schemas/incident.schema.json",
    title: "trailcheck incident",
    description: "A recorded run that could not be reconstructed, kept as a permanent regression test.",
  });
}

export function incidentJsonSchemaText(): string {
  return jsonSchemaText(incidentJsonSchema());
}
