import { z } from "zod";
import { FactNameSchema } from "./action.js";
import { DurationSchema } from "./duration.js";
import { LayerKindSchema } from "./record.js";

const FactsByKindSchema = z.partialRecord(LayerKindSchema, z.array(FactNameSchema));

/**
 * A compliance profile: which facts each action kind must keep, which may be masked or hashed,
 * how long records must be kept and kept at hand, and whether the store must be tamper-evident.
 */
export const ProfileSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  /** The rules the profile implements, cited by article or requirement. */
  citations: z.array(z.string()).default([]),
  required: FactsByKindSchema,
  /** Facts that still count as present when masked or hashed. */
  maskable: FactsByKindSchema.default({}),
  retention: z
    .strictObject({
      /** Records must still exist this long after the run. */
      minimum: DurationSchema.optional(),
      /** Records must be immediately available (not archived) this long. */
      immediate: DurationSchema.optional(),
    })
    .default({}),
  integrity: z.enum(["none", "tamper-evident"]).default("none"),
  /** Failed runs and policy decisions must never be sampled or filtered away. */
  alwaysKeep: z
    .strictObject({ failedRuns: z.boolean().default(true), policyDecisions: z.boolean().default(true) })
    .default({ failedRuns: true, policyDecisions: true }),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** A profile as users write it: may extend a built-in profile and override parts of it. */
export const ProfileInputSchema = z.strictObject({
  extends: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  citations: z.array(z.string()).optional(),
  required: FactsByKindSchema.optional(),
  maskable: FactsByKindSchema.optional(),
  retention: z
    .strictObject({ minimum: DurationSchema.optional(), immediate: DurationSchema.optional() })
    .optional(),
  integrity: z.enum(["none", "tamper-evident"]).optional(),
  alwaysKeep: z
    .strictObject({ failedRuns: z.boolean().optional(), policyDecisions: z.boolean().optional() })
    .optional(),
});
export type ProfileInput = z.infer<typeof ProfileInputSchema>;
