import type { z } from "zod";
import type { FilterSchema } from "../../model/processors.js";
import type { SpanRecord } from "../../model/record.js";
import { type BoolExpr, evaluateCondition, parseCondition } from "../ottl/index.js";
import {
  eventKey,
  type ProcessorContext,
  perRecord,
  RECORD,
  recordLoss,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { ottlGuard } from "./ottl-errors.js";

export type FilterSettings = z.infer<typeof FilterSchema>;

interface Condition {
  readonly field: string;
  readonly text: string;
  readonly expr: BoolExpr;
}

/**
 * The `filter` processor: a span for which any `traces.span` condition is true is dropped (its children
 * stay, as orphans — the reconstruction sees the missing parent, so they carry no loss of their own); a
 * span event for which any `traces.spanevent` condition is true is removed from its span.
 */
export function compileFilter(settings: FilterSettings, ctx: ProcessorContext): StreamProcessor {
  reportUnknownSettings(ctx, settings, ["error_mode", "traces", "logs", "metrics"], "filter");
  const traces = (settings.traces ?? {}) as Record<string, unknown>;
  reportUnknownSettings(ctx, traces, ["span", "spanevent"], "filter.traces");
  const guard = ottlGuard(ctx, "filter", settings.error_mode);
  const compile = (list: string[] | undefined, kind: "span" | "spanevent"): Condition[] =>
    (list ?? []).flatMap((text, i) => {
      const field = `traces.${kind}[${i}]`;
      const expr = guard.parse(
        field,
        text,
        () => parseCondition(text, kind),
        `the condition is not evaluated, so ${kind === "span" ? "spans" : "span events"} it would drop are kept`,
      );
      return expr ? [{ field, text, expr }] : [];
    });
  const spanConditions = compile(settings.traces?.span, "span");
  const eventConditions = compile(settings.traces?.spanevent, "spanevent");

  return perRecord((r: SpanRecord) => {
    const hit = spanConditions.find((c) =>
      guard.run(c.field, c.text, () => evaluateCondition(c.expr, { record: r }), false),
    );
    if (hit) {
      recordLoss(ctx, r, "filter", RECORD, `filter condition ${hit.field} matched: ${hit.text}`);
      return undefined;
    }
    if (eventConditions.length === 0 || r.events.length === 0) return r;
    const events = r.events.filter((event, i) => {
      const c = eventConditions.find((c) =>
        guard.run(c.field, c.text, () => evaluateCondition(c.expr, { record: r, event }), false),
      );
      if (!c) return true;
      recordLoss(
        ctx,
        r,
        "filter",
        { type: "attribute", key: eventKey(i), effect: "deleted" },
        `span event "${event.name}" dropped: filter condition ${c.field} matched: ${c.text}`,
      );
      return false;
    });
    return events.length === r.events.length ? r : { ...r, events };
  });
}
