import { z } from "zod";
import { type FactName, FactNameSchema } from "../model/action.js";
import { type LayerKind, LayerKindSchema } from "../model/record.js";

/** A fact of a named action, written `kind:name.fact`, e.g. `tool:refund_payment.arguments`. */
export interface FactRef {
  readonly kind: LayerKind;
  /** The action's name; may itself contain dots (`gpt-4.1`), the fact is after the last one. */
  readonly name: string;
  readonly fact: FactName;
}

// A name may hold any character, line breaks too (tool names come from the model); `[\s\S]` rather
// than the `s` flag, which the JSON Schema pattern (schemas/incident.schema.json) cannot carry.
const SHAPE = /^([a-z]+):([\s\S]+)\.([A-Za-z]+)$/;

/** Parses `kind:name.fact`; returns a message saying what is wrong instead of throwing. */
export function parseFactRef(text: string): FactRef | { error: string } {
  const m = SHAPE.exec(text);
  if (!m) return { error: `'${text}' is not KIND:NAME.FACT, e.g. tool:refund_payment.arguments` };
  const kind = LayerKindSchema.safeParse(m[1]);
  if (!kind.success) {
    return { error: `'${m[1]}' is not an action kind; use one of ${LayerKindSchema.options.join(", ")}` };
  }
  const fact = FactNameSchema.safeParse(m[3]);
  if (!fact.success) {
    return { error: `'${m[3]}' is not a fact; use one of ${FactNameSchema.options.join(", ")}` };
  }
  return { kind: kind.data, name: m[2]!, fact: fact.data };
}

export function formatFactRef(ref: FactRef): string {
  return `${ref.kind}:${ref.name}.${ref.fact}`;
}

/** A `kind:name.fact` string in a schema: validated, kept as text so files read as written. */
export const FactRefSchema = z
  .string()
  .regex(SHAPE, "expected KIND:NAME.FACT, e.g. tool:refund_payment.arguments")
  .superRefine((text, ctx) => {
    const ref = parseFactRef(text);
    if ("error" in ref) ctx.addIssue({ code: "custom", message: ref.error });
  });

/** Parses a ref known to be valid (schema-checked). */
export function factRef(text: string): FactRef {
  const ref = parseFactRef(text);
  if ("error" in ref) throw new Error(ref.error);
  return ref;
}
