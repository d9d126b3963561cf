import { z } from "zod";

/**
 * A committed JSON Schema generated from a zod schema, so a file format is defined once and editors
 * and other tools can check files against it. `io: "input"` for files people write (defaults may be
 * left out), `"output"` for files trailcheck writes.
 */
export function documentedJsonSchema(
  schema: z.ZodType,
  doc: { io: "input" | "output"; id: string; title: string; description: string },
): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { io: doc.io, target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    $schema: generated.$schema,
    $id: doc.id,
    title: doc.title,
    description: doc.description,
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== "$schema")),
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function jsonSchemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
