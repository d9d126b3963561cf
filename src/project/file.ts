import { z } from "zod";
import { AuditConfigSchema } from "./audit-config.js";

/**
 * `trailcheck.config.yaml`: what `trailcheck run`, the suites and every verb read about a project.
 * Paths are relative to the file. Keys other tools own are passed over, not rejected. Nothing here has
 * a default: `project.ts` fills them from `defaults.ts`, so it can tell a value the file sets from one
 * it leaves out.
 */
export const ProjectFileSchema = z.looseObject({
  /** The logging config the agent runs with today (native YAML). */
  logging: z.string().min(1).optional(),
  /** With `otelcol`: the OpenTelemetry Collector config files and storage side file, instead of `logging`. */
  otelcol: z.array(z.string().min(1)).optional(),
  storage: z.string().min(1).optional(),
  /** A built-in profile name or a profile file; default: the logging config's `compliance`. */
  profile: z.string().min(1).optional(),
  /** The folder of incident files. */
  incidents: z.string().min(1).optional(),
  /** The folder `trailcheck run` writes its reports into. */
  output: z.string().min(1).optional(),
  /** The vitest suites `trailcheck run` runs. */
  suites: z.string().min(1).optional(),
  /** Replay scenarios; their tool calls are the ones synthetic scenarios against the agent use. */
  scenarios: z.string().min(1).optional(),
  properties: z
    .strictObject({
      /** fast-check runs per property. */
      numRuns: z.number().int().positive().optional(),
      /** Synthetic scenarios replayed against the agent per `trailcheck run`; each starts the agent once; 0 turns them off. */
      agentRuns: z.number().int().min(0).optional(),
      /** A fixed seed makes every run of the properties suite the same. */
      seed: z
        .number()
        .int()
        .min(-(2 ** 31))
        .max(2 ** 31 - 1)
        .optional(),
    })
    .optional(),
  /** What `incident add` scrubs besides the built-in detectors. */
  scrub: z
    .strictObject({
      patterns: z
        .array(
          z.strictObject({
            /** Names the token: `<name-1>`. */
            name: z.string().regex(/^[a-z][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
            /** A regular expression in RE2 syntax (linear time, like the collector's); every match is scrubbed. */
            pattern: z.string(),
          }),
        )
        .default([]),
      /** Attribute keys whose whole value is scrubbed, e.g. `user.id`, `enduser.id`. */
      keys: z.array(z.string()).default([]),
    })
    .optional(),
  /** `trailcheck audit`'s settings (`audit-config.ts`). */
  audit: AuditConfigSchema.optional(),
  agent: z
    .strictObject({
      /** The command that runs the agent under test (replays). */
      command: z.string().min(1),
      /** How long one agent run may take. */
      timeout: z.string().optional(),
    })
    .optional(),
});
export type ProjectFile = z.infer<typeof ProjectFileSchema>;
