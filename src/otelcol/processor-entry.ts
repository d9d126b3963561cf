import type { z } from "zod";
import { InputError } from "../errors.js";
import { PROCESSOR_NAMES, type Processor, ProcessorSchema } from "../model/processors.js";
import { carryTypesDeep } from "../model/value-types.js";
import { fieldPath } from "../yaml/locate.js";
import type { Component } from "./read-config.js";
import type { MergedSource } from "./source-tree.js";

/** Why a processor type the engine does not model matters, where that is known. */
const UNMODELLED: Record<string, string> = {
  groupbytrace:
    "holds spans for wait_duration and drops the oldest traces past num_traces; what it loses is not modelled",
  resource: "changes resource attributes (insert/update/upsert/delete/hash); deletions are not modelled",
  span: "renames spans and extracts attributes from names; changes are not modelled",
  k8sattributes: "adds Kubernetes resource attributes; modelled as a pass-through",
  resourcedetection: "adds host and cloud resource attributes; modelled as a pass-through",
  groupbyattrs: "regroups spans by attributes; modelled as a pass-through",
  routing: "the routing processor was replaced by the routing connector; its routing is not modelled",
};

/** A processor component as a LoggingConfig processor entry, or why it can't be one. */
export type ProcessorTranslation = { ok: true; processor: Processor } | { ok: false; message: string };

/**
 * Translates a collector processor into the engine's entry: the same settings under its type,
 * `{ probabilistic_sampler: { sampling_percentage: 10 } }`. Settings the collector itself would reject
 * (wrong types) fail here with their location.
 */
export function translateProcessor(c: Component, source: MergedSource): ProcessorTranslation {
  if (!(PROCESSOR_NAMES as readonly string[]).includes(c.type)) {
    const why = UNMODELLED[c.type] ?? "processor type not modelled; its effect on what is kept is unknown";
    return { ok: false, message: `${c.type}: ${why}` };
  }
  // Validate against the one union member for this type, so the issue points at the setting.
  const member = ProcessorSchema.options.find((o) => c.type in o.shape) as z.ZodType<Processor>;
  const parsed = member.safeParse({ [c.type]: c.settings });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = [...c.path, ...(issue.path.slice(1) as (string | number)[])];
    throw new InputError("bad-otelcol-config", `processors::${c.id}: ${issue.message}`, {
      ...source.locate(path),
      field: fieldPath(path),
    });
  }
  // A configured value read as a float64 stays one past the schema's copy (value-types.ts).
  carryTypesDeep(c.settings, (parsed.data as Record<string, unknown>)[c.type]);
  return { ok: true, processor: parsed.data };
}
