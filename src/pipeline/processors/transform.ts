import type { z } from "zod";
import type { TransformSchema } from "../../model/processors.js";
import {
  type BoolExpr,
  evaluateCondition,
  type OttlContext,
  parseCondition,
  parseStatement,
} from "../ottl/index.js";
import {
  type ProcessorContext,
  perRecord,
  recordLoss,
  reportUnknown,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { ottlGuard } from "./ottl-errors.js";
import { compileEditor, type Editor, type Report } from "./transform-editors.js";

export type TransformSettings = z.infer<typeof TransformSchema>;

interface Compiled {
  readonly field: string;
  readonly text: string;
  readonly where?: BoolExpr;
  readonly edit: Editor;
}

interface Group {
  readonly field: string;
  /** Any of them must hold for the group's statements to run (none: always). */
  readonly conditions: { text: string; expr: BoolExpr }[];
  readonly statements: Compiled[];
}

const CONTEXTS: readonly string[] = ["span", "resource"];

/**
 * The `transform` processor's `trace_statements`, in order, per span: each statement of the modelled
 * subset (set, delete_key, delete_matching_keys, keep_keys, truncate_all, replace_pattern,
 * replace_all_patterns, limit) with its optional `where`; a group's `conditions` gate its statements.
 * Plain-string statements run in the span context. Truncation is a loss with cause truncation; deletions,
 * renames and replacements have cause redaction. Anything else is reported as unknown with its location.
 */
export function compileTransform(settings: TransformSettings, ctx: ProcessorContext): StreamProcessor {
  reportUnknownSettings(
    ctx,
    settings,
    ["error_mode", "trace_statements", "metric_statements", "log_statements"],
    "transform",
  );
  const guard = ottlGuard(ctx, "transform", settings.error_mode);
  const groups: Group[] = settings.trace_statements.flatMap((entry, i): Group[] => {
    const field = `trace_statements[${i}]`;
    const group =
      typeof entry === "string" ? { context: "span", statements: [entry], conditions: [] } : entry;
    const context = group.context ?? "span";
    if (!CONTEXTS.includes(context)) {
      for (const text of group.statements) {
        reportUnknown(
          ctx,
          `transform.${field}: ${text}`,
          `statements in the ${context} context are not modelled; their effect is unknown`,
        );
      }
      return [];
    }
    const conditions = (group.conditions ?? []).flatMap((text, j) => {
      const expr = guard.parse(
        `${field}.conditions[${j}]`,
        text,
        () => parseCondition(text, context as OttlContext),
        "the condition is not evaluated, so the group's statements are treated as not running",
      );
      return expr
        ? [{ text, expr }]
        : [{ text, expr: { type: "value", expr: { type: "literal", value: false, column: 1 } } as BoolExpr }];
    });
    const statements = group.statements.flatMap((text, j): Compiled[] => {
      const at = typeof entry === "string" ? field : `${field}.statements[${j}]`;
      const parsed = guard.parse(
        at,
        text,
        () => parseStatement(text, context as OttlContext),
        "the statement is not applied; its effect is unknown",
      );
      if (!parsed) return [];
      const edit = compileEditor(parsed);
      if (typeof edit === "string") {
        reportUnknown(
          ctx,
          `transform.${at}: ${text}`,
          `${edit}; the statement is not applied, its effect is unknown`,
        );
        return [];
      }
      return [{ field: at, text, ...(parsed.where ? { where: parsed.where } : {}), edit }];
    });
    return [{ field, conditions, statements }];
  });

  const report: Report = (record, cause, target, detail) => recordLoss(ctx, record, cause, target, detail);
  return perRecord((original) => {
    let r = original;
    for (const g of groups) {
      if (g.conditions.length > 0) {
        const current = r;
        const open = g.conditions.some((c) =>
          guard.run(
            `${g.field}.conditions`,
            c.text,
            () => evaluateCondition(c.expr, { record: current }),
            false,
          ),
        );
        if (!open) continue;
      }
      for (const s of g.statements) {
        const current = r;
        if (
          s.where &&
          !guard.run(s.field, s.text, () => evaluateCondition(s.where!, { record: current }), false)
        )
          continue;
        r = guard.run(s.field, s.text, () => s.edit(current, report), current);
      }
    }
    return r;
  });
}
