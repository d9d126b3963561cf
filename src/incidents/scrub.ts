import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { BUILTIN_DETECTORS, type Detector, patternDetector, SECRET_KEY, TOKEN } from "./detectors.js";
import type { Scenario } from "./schema.js";

export interface ScrubOptions {
  /** User-configured patterns, run before the built-in detectors. */
  readonly patterns?: readonly { name: string; pattern: RegExp }[];
  /** Attribute (and JSON object) keys whose whole value is scrubbed. */
  readonly keys?: readonly string[];
  /** Values never scrubbed: the run's trace and span ids, which only look like numbers by chance. */
  readonly keep?: Iterable<string>;
}

/** What was scrubbed in one field: counts by detector type. */
export interface ScrubFinding {
  readonly field: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface ScrubReport {
  readonly findings: readonly ScrubFinding[];
  /** Distinct values replaced (one token each). */
  readonly values: number;
  /** Occurrences replaced. */
  readonly occurrences: number;
}

/** String literals and numbers in JSON text; a string literal is consumed whole, so digits in it are not numbers. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Replaces personal data and secrets with tokens that are stable within one scrubber: the same value
 * becomes the same token everywhere (`<email-1>`), so joins, arguments and call ids still line up.
 * One scrubber serves one incident.
 */
export class Scrubber {
  private readonly detectors: readonly Detector[];
  private readonly keys: ReadonlySet<string>;
  private readonly keep: ReadonlySet<string>;
  private readonly tokens = new Map<string, string>();
  private readonly perType = new Map<string, number>();
  private readonly fields = new Map<string, Map<string, number>>();

  constructor(options: ScrubOptions = {}) {
    this.detectors = [
      ...(options.patterns ?? []).map((p) => patternDetector(p.name, p.pattern)),
      ...BUILTIN_DETECTORS,
    ];
    this.keys = new Set(options.keys ?? []);
    this.keep = new Set(options.keep ?? []);
  }

  /** Scrubs one string. JSON text is walked literal by literal, so it stays valid JSON. */
  text(value: string, field: string): string {
    if (value === "" || this.keep.has(value) || TOKEN.test(value)) return value;
    const head = value.trimStart()[0];
    if (head === "{" || head === "[") {
      try {
        JSON.parse(value);
        return this.json(value, field);
      } catch {
        // not JSON after all: scrub it as text
      }
    }
    return this.plain(value, field);
  }

  /** Scrubs an attribute value of any shape; `key` is the attribute or JSON key that holds it. */
  value(value: AttributeValue, field: string, key?: string): AttributeValue {
    if (key !== undefined && this.sensitiveKey(key)) return this.whole(value, field, key);
    if (typeof value === "string") return this.text(value, field);
    if (typeof value === "number") return this.number(value, field);
    if (Array.isArray(value)) return value.map((v) => this.value(v, field));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v, field, k)]));
    }
    return value;
  }

  attributes(attributes: Attributes, field: string): Attributes {
    return Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, this.value(v, `${field}[${JSON.stringify(k)}]`, k)]),
    );
  }

  report(): ScrubReport {
    const findings = [...this.fields].map(([field, counts]) => ({
      field,
      counts: Object.fromEntries(counts),
    }));
    const occurrences = findings.reduce((n, f) => n + Object.values(f.counts).reduce((a, b) => a + b, 0), 0);
    return { findings, values: this.tokens.size, occurrences };
  }

  private sensitiveKey(key: string): boolean {
    return this.keys.has(key) || SECRET_KEY.test(key);
  }

  private token(type: string, key: string, field: string): string {
    const id = `${type}\u0000${key}`;
    let token = this.tokens.get(id);
    if (!token) {
      const n = (this.perType.get(type) ?? 0) + 1;
      this.perType.set(type, n);
      token = `<${type}-${n}>`;
      this.tokens.set(id, token);
    }
    const counts = this.fields.get(field) ?? new Map<string, number>();
    this.fields.set(field, counts);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    return token;
  }

  private plain(text: string, field: string): string {
    for (const detector of this.detectors) {
      const pattern = new RegExp(detector.pattern.source, detector.pattern.flags);
      let out = "";
      let last = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        if (m[0] === "") {
          pattern.lastIndex++;
          continue;
        }
        const hit = detector.accept ? detector.accept(m) : { prefix: "", value: m[0], key: m[0] };
        if (!hit || TOKEN.test(hit.value)) {
          pattern.lastIndex = m.index + 1; // a later start may still match (the next digit group)
          continue;
        }
        const start = m.index + hit.prefix.length;
        out += text.slice(last, start) + this.token(detector.type, hit.key, field);
        last = start + hit.value.length;
        pattern.lastIndex = last;
      }
      text = out + text.slice(last);
    }
    return text;
  }

  /** A card number written as a JSON or OTLP integer. */
  private number(value: number, field: string): AttributeValue {
    const digits = Number.isInteger(value) && value > 0 ? String(value) : "";
    if (digits.length < 13 || digits.length > 19) return value;
    const scrubbed = this.plain(digits, field);
    return scrubbed === digits ? value : scrubbed;
  }

  /** The whole value of a sensitive key; a value that is one known kind (an email) keeps that token. */
  private whole(value: AttributeValue, field: string, key: string): AttributeValue {
    if (value === null || typeof value === "boolean" || value === "") return value;
    if (typeof value === "string" && (TOKEN.test(value) || this.keep.has(value))) return value;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    for (const detector of this.detectors) {
      const pattern = new RegExp(detector.pattern.source, detector.pattern.flags);
      const m = pattern.exec(text);
      if (m && m.index === 0 && m[0].length === text.length) {
        const hit = detector.accept ? detector.accept(m) : { prefix: "", value: m[0], key: m[0] };
        if (hit && hit.prefix === "") return this.token(detector.type, hit.key, field);
      }
    }
    return this.token(this.keys.has(key) ? "redacted" : "secret", text, field);
  }

  /**
   * Walks JSON text literal by literal: strings are decoded, scrubbed and re-encoded, numbers checked as
   * card numbers, everything else (layout, other numbers, big integers) kept byte for byte.
   */
  private json(text: string, field: string): string {
    let out = "";
    let last = 0;
    let lastKey: string | undefined;
    for (const m of text.matchAll(JSON_TOKEN)) {
      const gap = text.slice(last, m.index);
      out += gap;
      last = m.index + m[0].length;
      const isKey = /^\s*:/.test(text.slice(last));
      const keyOfValue = /:\s*$/.test(gap) ? lastKey : undefined;
      if (m[0].startsWith('"')) {
        const decoded = JSON.parse(m[0]) as string;
        if (isKey) {
          lastKey = decoded;
          out += m[0];
          continue;
        }
        const scrubbed =
          keyOfValue !== undefined && this.sensitiveKey(keyOfValue)
            ? this.whole(decoded, field, keyOfValue)
            : this.text(decoded, field);
        out += scrubbed === decoded ? m[0] : JSON.stringify(scrubbed);
      } else {
        const n = Number(m[0]);
        const scrubbed =
          keyOfValue !== undefined && this.sensitiveKey(keyOfValue)
            ? this.whole(n, field, keyOfValue)
            : /^\d{13,19}$/.test(m[0])
              ? this.plain(m[0], field)
              : m[0];
        out += scrubbed === m[0] || scrubbed === n ? m[0] : JSON.stringify(scrubbed);
      }
    }
    return out + text.slice(last);
  }
}

/** Scrubs every string of a run's records: names, attributes, events, resource, status, scope. */
export function scrubRecords(records: readonly SpanRecord[], scrubber: Scrubber): SpanRecord[] {
  return records.map((r) => {
    const at = `span ${r.spanId}`;
    const status = { ...r.status };
    if (status.message !== undefined) status.message = scrubber.text(status.message, `${at} status.message`);
    if (status.errorType !== undefined)
      status.errorType = scrubber.text(status.errorType, `${at} status.errorType`);
    return {
      ...r,
      name: scrubber.text(r.name, `${at} name`),
      status,
      attributes: scrubber.attributes(r.attributes, `${at} attributes`),
      events: r.events.map((e, i) => ({
        ...e,
        name: scrubber.text(e.name, `${at} events[${i}].name`),
        attributes: scrubber.attributes(e.attributes, `${at} events[${i}].attributes`),
      })),
      resource: scrubber.attributes(r.resource, "resource"),
      ...(r.scope
        ? {
            scope: {
              name: scrubber.text(r.scope.name, `${at} scope.name`),
              ...(r.scope.version !== undefined ? { version: r.scope.version } : {}),
            },
          }
        : {}),
    };
  });
}

/** Scrubs the replay scenario with the same scrubber, so its arguments match the run's. */
export function scrubScenario(scenario: Scenario, scrubber: Scrubber): Scenario {
  return {
    input: scrubber.text(scenario.input, "scenario.input"),
    turns: scenario.turns.map((turn, i) =>
      "text" in turn
        ? { text: scrubber.text(turn.text, `scenario.turns[${i}].text`) }
        : {
            toolCalls: turn.toolCalls.map((call, j) => {
              const at = `scenario.turns[${i}].toolCalls[${j}]`;
              return {
                ...(call.id !== undefined ? { id: scrubber.text(call.id, `${at}.id`) } : {}),
                name: scrubber.text(call.name, `${at}.name`),
                arguments: scrubber.text(call.arguments, `${at}.arguments`),
              };
            }),
          },
    ),
  };
}

/** `span 1c03… attributes["ai.toolCall.args"]: email ×1, card ×1`, one line per field. */
export function formatScrubReport(report: ScrubReport): string[] {
  return report.findings.map(
    (f) =>
      `${f.field}: ${Object.entries(f.counts)
        .map(([type, n]) => `${type} ×${n}`)
        .join(", ")}`,
  );
}
