import { z } from "zod";

/**
 * An OTLP `AnyValue` in plain JSON form. Integers outside the safe range are kept as decimal strings
 * by the readers, so no value is silently rounded.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export const AttributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(AttributeValueSchema),
    z.record(z.string(), AttributeValueSchema),
  ]),
);

/** Flat, dotted keys, as OTLP attributes are. */
export const AttributesSchema = z.record(z.string(), AttributeValueSchema);
export type Attributes = z.infer<typeof AttributesSchema>;

/** A value as text, for matching and display: strings as they are, everything else as JSON. */
export function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
