import { createHash, createHmac } from "node:crypto";
import type { z } from "zod";
import type { Attributes } from "../../model/attributes.js";
import type { RedactionSchema } from "../../model/processors.js";
import type { SpanRecord } from "../../model/record.js";
import { carryTypes, forgetType, valueType } from "../../model/value-types.js";
import { compileGoRegex, GoRegex, isGoRegexError } from "../go/regex.js";
import { goAsString } from "../go/value-string.js";
import {
  configError,
  type ProcessorContext,
  perRecord,
  recordLoss,
  reportUnknownSettings,
  type StreamProcessor,
} from "../processor.js";
import { editMap, lossKey, type MapScope, mapOf, withMap } from "./attribute-map.js";

export type RedactionSettings = z.infer<typeof RedactionSchema>;

/** The summary attributes the processor writes (processor.go). */
export const SUMMARY = {
  redactedKeys: "redaction.redacted.keys",
  redactedCount: "redaction.redacted.count",
  maskedKeys: "redaction.masked.keys",
  maskedCount: "redaction.masked.count",
  allowedKeys: "redaction.allowed.keys",
  allowedCount: "redaction.allowed.count",
  ignoredCount: "redaction.ignored.count",
} as const;

const MODELLED = [
  "allow_all_keys",
  "allowed_keys",
  "ignored_keys",
  "ignored_key_patterns",
  "redact_all_types",
  "blocked_key_patterns",
  "blocked_values",
  "allowed_values",
  "hash_function",
  "hmac_key",
  "summary",
];
const MATCH_ALL = GoRegex.compile(".*") as GoRegex;

/**
 * The `redaction` processor on resource, span and span-event attributes, per map and in this order for
 * each key: ignored keys (and keys matching ignored_key_patterns) pass; keys not allowed are deleted (an empty allow-list without allow_all_keys
 * deletes everything); values matching allowed_values pass; keys matching blocked_key_patterns have their
 * whole value masked; blocked_values are masked within the value (`****`, or a hex hash with
 * hash_function). Non-string values read as "" (pcommon `Str()`), or as their `AsString()` text with
 * redact_all_types; a masked value becomes a string.
 * blocked_values apply in config order (the collector iterates a Go map, so overlapping patterns may apply
 * in another order there).
 */
export function compileRedaction(settings: RedactionSettings, ctx: ProcessorContext): StreamProcessor {
  reportUnknownSettings(ctx, settings, MODELLED, "redaction");
  const regexes = (field: string, list: string[]) =>
    list.map((p, i) => {
      const re = compileGoRegex(p);
      if (isGoRegexError(re)) configError(ctx, `redaction.${field}[${i}]`, re.error);
      return re;
    });
  const blockedValues = regexes("blocked_values", settings.blocked_values);
  const blockedKeys = regexes("blocked_key_patterns", settings.blocked_key_patterns);
  const allowedValues = regexes("allowed_values", settings.allowed_values);
  const ignoredKeyPatterns = regexes("ignored_key_patterns", settings.ignored_key_patterns ?? []);
  const allowed = new Set([
    ...settings.allowed_keys,
    SUMMARY.redactedKeys,
    SUMMARY.redactedCount,
    SUMMARY.maskedKeys,
    SUMMARY.maskedCount,
    SUMMARY.ignoredCount,
  ]);
  const ignored = new Set(settings.ignored_keys);
  const hash = hasher(settings, ctx);
  const effect = hash ? "hashed" : "masked";
  const mask = (value: string, re: GoRegex) => re.replaceAll(value, (m) => (hash ? hash(m[0]!) : "****"));

  const processMap = (record: SpanRecord, scope: MapScope): Attributes => {
    const attrs = mapOf(record, scope);
    const redacted: string[] = [];
    const masked: string[] = [];
    const allowedHits: string[] = [];
    const ignoredHits: string[] = [];
    const set = new Map<string, string>();
    for (const key in attrs) {
      if (ignored.has(key) || ignoredKeyPatterns.some((re) => re.test(key))) {
        ignoredHits.push(key);
        continue;
      }
      if (!settings.allow_all_keys && !allowed.has(key)) {
        redacted.push(key);
        continue;
      }
      const value = attrs[key];
      // Str() reads a non-string as "" (bytes and an int64 kept as text included, by their pdata
      // type); with redact_all_types the value is AsString()'d instead.
      const isStr = typeof value === "string" && valueType(attrs, key) === "Str";
      const str = isStr ? (value as string) : settings.redact_all_types ? goAsString(value) : "";
      if (allowedValues.some((re) => re.test(str))) {
        allowedHits.push(key);
        continue;
      }
      const blockedKey = blockedKeys.some((re) => re.test(key));
      let out = str;
      if (blockedKey) out = mask(str, MATCH_ALL);
      else for (const re of blockedValues) if (re.test(out)) out = mask(out, re);
      if (blockedKey || out !== str) {
        masked.push(key);
        set.set(key, out);
        recordLoss(
          ctx,
          record,
          "redaction",
          { type: "attribute", key: lossKey(scope, key), effect },
          blockedKey
            ? `key matches blocked_key_patterns: the whole value is ${effect}`
            : `value matches blocked_values: the matching text is ${effect}`,
        );
      }
    }
    for (const key of redacted) {
      recordLoss(
        ctx,
        record,
        "redaction",
        { type: "attribute", key: lossKey(scope, key), effect: "deleted" },
        settings.allow_all_keys
          ? "deleted"
          : settings.allowed_keys.length === 0
            ? "allowed_keys is empty and allow_all_keys is false: every attribute is deleted"
            : `key is not in allowed_keys (${settings.allowed_keys.join(", ")})`,
      );
    }
    const next = editMap(attrs, new Set(redacted), set);
    if (next === attrs && allowedHits.length === 0 && ignoredHits.length === 0) return attrs;
    const out = next === attrs ? carryTypes(attrs, { ...attrs }) : next;
    summarize(out, redacted, SUMMARY.redactedKeys, SUMMARY.redactedCount);
    summarize(out, masked, SUMMARY.maskedKeys, SUMMARY.maskedCount);
    summarize(out, allowedHits, SUMMARY.allowedKeys, SUMMARY.allowedCount);
    summarize(out, ignoredHits, undefined, SUMMARY.ignoredCount);
    return out;
  };

  const summarize = (attrs: Attributes, keys: string[], keysAttr: string | undefined, countAttr: string) => {
    if (keys.length === 0) return;
    if (settings.summary === "debug" && keysAttr) {
      const existing = attrs[keysAttr];
      const all =
        typeof existing === "string" && existing !== "" ? [...keys, ...existing.split(",")] : [...keys];
      attrs[keysAttr] = all.sort().join(",");
      forgetType(attrs, keysAttr);
    }
    if (settings.summary === "debug" || settings.summary === "info") {
      const existing = attrs[countAttr];
      attrs[countAttr] = keys.length + (typeof existing === "number" ? existing : 0);
      forgetType(attrs, countAttr);
    }
  };

  return perRecord((original) => {
    let r = original;
    r = withMap(r, { of: "resource" }, processMap(r, { of: "resource" }));
    r = withMap(r, { of: "span" }, processMap(r, { of: "span" }));
    for (let i = 0; i < r.events.length; i++)
      r = withMap(r, { of: "event", index: i }, processMap(r, { of: "event", index: i }));
    return r;
  });
}

function hasher(settings: RedactionSettings, ctx: ProcessorContext): ((text: string) => string) | undefined {
  const fn = settings.hash_function;
  if (!fn) return undefined;
  const algo = {
    md5: "md5",
    sha1: "sha1",
    sha3: "sha3-256",
    sha256: "sha256",
    "hmac-sha256": "sha256",
    "hmac-sha512": "sha512",
  }[fn];
  if (fn.startsWith("hmac-")) {
    if (!settings.hmac_key) configError(ctx, "redaction.hmac_key", `hash_function ${fn} needs hmac_key`);
    const key = settings.hmac_key;
    return (text) => createHmac(algo, key).update(text).digest("hex");
  }
  return (text) => createHash(algo).update(text).digest("hex");
}
