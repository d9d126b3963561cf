import { z } from "zod";
import { parseDuration } from "../model/duration.js";
import { SeveritySchema } from "../model/gap.js";
import { FactRefSchema } from "./fact-ref.js";

export const INCIDENT_SOURCES = [
  "customer-complaint",
  "audit-finding",
  "incident-investigation",
  "counterexample",
  "production-audit",
] as const;
export const IncidentSourceSchema = z.enum(INCIDENT_SOURCES);
export type IncidentSource = z.infer<typeof IncidentSourceSchema>;

export const IncidentIdSchema = z
  .string()
  .regex(/^INC-\d{4}$/, "expected INC- and four digits, e.g. INC-0001");

/** A tool call as the scripted model makes it; `arguments` is the JSON text the model sent. */
export const ScriptedToolCallSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string(),
  arguments: z.string(),
});

/** One scripted model turn: either text or tool calls. */
export const ModelTurnSchema = z.union([
  z.strictObject({ text: z.string() }),
  z.strictObject({ toolCalls: z.array(ScriptedToolCallSchema).min(1) }),
]);
export type ModelTurn = z.infer<typeof ModelTurnSchema>;

/** What a replay needs: the user's input and the model's turns, in order. */
export const ScenarioSchema = z.strictObject({
  input: z.string(),
  turns: z.array(ModelTurnSchema),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const IncidentExpectSchema = z.strictObject({
  /** The facts the incident was about; each must survive the current logging config. */
  facts: z
    .array(FactRefSchema)
    .min(1, "name at least one fact, e.g. tool:refund_payment.arguments")
    .describe("KIND:NAME.FACT, e.g. tool:refund_payment.arguments"),
  /** When the audit happens after the run (the question came in then). */
  auditAfter: z
    .string()
    .refine((s) => parseDuration(s) !== undefined, {
      message: "expected a duration such as 7d, 30d, 3mo, 1y or 12h",
    })
    .describe("When the audit happens after the run: 30d, 3mo, 1y"),
  /** A profile name or file; default: the project's current profile. */
  profile: z.string().optional(),
});

/** How the incident replays: which agent its recording came from. */
export const IncidentReplaySchema = z.strictObject({
  /**
   * The command of the agent the run was recorded from. The incident suite replays the scenario only
   * against that agent: a scenario recorded from another agent scripts tool calls it may not have.
   */
  agent: z
    .string()
    .min(1)
    .optional()
    .describe("The agent command the run was recorded from, as in agent.command of trailcheck.config.yaml"),
});
export type IncidentReplay = z.infer<typeof IncidentReplaySchema>;

/**
 * An incident: a recorded run that could not be reconstructed, kept as a permanent test.
 * The run itself is a sibling file of canonical records, named by `run`.
 */
export const IncidentSchema = z.strictObject({
  $schema: z.string().optional(),
  id: IncidentIdSchema.describe("INC- and four digits; the file name starts with it"),
  title: z.string().min(1).describe("One line: what could not be reconstructed"),
  reported: z.iso.date("expected a date YYYY-MM-DD").describe("When the incident was reported (YYYY-MM-DD)"),
  source: IncidentSourceSchema.describe("Who found it"),
  severity: SeveritySchema,
  summary: z.string().describe("What happened and what was missing"),
  tags: z.array(z.string()).optional(),
  run: z
    .string()
    .regex(/^INC-\d{4}[^/\\]*\.run\.jsonl$/, "expected the sibling file INC-0001-<slug>.run.jsonl")
    .describe("The recorded run: canonical records as trailcheck JSONL, in the same folder"),
  scenario: ScenarioSchema.optional().describe("User input and scripted model turns for a replay"),
  replay: IncidentReplaySchema.optional().describe("Which agent the scenario replays against"),
  expect: IncidentExpectSchema,
});
export type Incident = z.infer<typeof IncidentSchema>;
