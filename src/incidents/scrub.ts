import type { Attributes, AttributeValue } from "../model/attributes.js";
import type { SpanRecord } from "../model/record.js";
import { carryTypes } from "../model/value-types.js";
import type { GoRegex } from "../pipeline/go/regex.js";
import {
  BUILTIN_DETECTORS,
  CARD_NUMBERS,
  type Detector,
  patternDetector,
  SECRET_KEY,
  TOKEN,
} from "./detectors.js";
import { base64Detector, type Revealed } from "./encoded.js";
import { editJsonLiterals } from "./json-literals.js";
import type { Scenario } from "./schema.js";

export interface ScrubOptions {
  /** User-configured patterns (RE2 syntax), run before the built-in detectors. */
  readonly patterns?: readonly { name: string; pattern: GoRegex }[];
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

/** How deep base64 inside base64 is opened. */
const MAX_ENCODED_DEPTH = 2;

const isToken = (s: string) => s.length <= 64 && TOKEN.test(s);

/**
 * Replaces personal data and secrets with tokens that are stable within one scrubber: the same value
 * becomes the same token everywhere (`<email-1>`), so joins, arguments and call ids still line up.
 * Keys are scrubbed as well as values. Every pass is linear in the text's length (see `Detector`), so a
 * large or hostile value costs time in proportion to its size. One scrubber serves one incident.
 */
export class Scrubber {
  private readonly detectors: readonly Detector[];
  /** What can match a bare number: the user's patterns and card numbers. */
  private readonly numberDetectors: readonly Detector[];
  private readonly keys: ReadonlySet<string>;
  private readonly keep: ReadonlySet<string>;
  private readonly tokens = new Map<string, string>();
  private readonly perType = new Map<string, number>();
  private readonly fields = new Map<string, Map<string, number>>();

  constructor(
    private readonly options: ScrubOptions = {},
    private readonly depth = 0,
  ) {
    const own = (options.patterns ?? []).map((p) => patternDetector(p.name, p.pattern));
    this.numberDetectors = [...own, CARD_NUMBERS];
    this.detectors = [
      ...own,
      ...BUILTIN_DETECTORS,
      ...(depth < MAX_ENCODED_DEPTH
        ? [base64Detector((encoded, decoded) => this.reveal(encoded, decoded))]
        : []),
    ];
    this.keys = new Set(options.keys ?? []);
    this.keep = new Set(options.keep ?? []);
  }

  /** Scrubs one string. JSON text is walked literal by literal, so it stays valid JSON. */
  text(value: string, field: string): string {
    if (value === "" || this.keep.has(value) || isToken(value)) return value;
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
    if (Array.isArray(value))
      return carryTypes(
        value,
        value.map((v) => this.value(v, field)),
      );
    if (value !== null && typeof value === "object") return this.map(value, field, () => field);
    return value;
  }

  /** Scrubs keys and values; a field names its key as scrubbed, so the report never repeats a secret. */
  attributes(attributes: Attributes, field: string): Attributes {
    return this.map(attributes, field, (k) => `${field}[${JSON.stringify(k)}]`) as Attributes;
  }

  report(): ScrubReport {
    const findings = [...this.fields].map(([field, counts]) => ({
      field,
      counts: Object.fromEntries(counts),
    }));
    const occurrences = findings.reduce((n, f) => n + Object.values(f.counts).reduce((a, b) => a + b, 0), 0);
    return { findings, values: this.tokens.size, occurrences };
  }

  private map(
    entries: Readonly<Record<string, AttributeValue>>,
    field: string,
    fieldOf: (scrubbedKey: string) => string,
  ): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(entries)) {
      const scrubbed = this.text(k, `${field} keys`);
      let key = scrubbed;
      // Two keys that scrub alike (`Jane@x.org`, `jane@x.org`) both stay.
      for (let n = 2; Object.hasOwn(out, key); n++) key = `${scrubbed}#${n}`;
      out[key] = this.value(v, fieldOf(key), k);
    }
    // Values left as they were keep their pdata types (value-types.ts): a double stays a double.
    return carryTypes(entries, out);
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

  /** Each detector in turn replaces its hits; each pass is one linear scan of the text. */
  private plain(text: string, field: string, detectors = this.detectors): string {
    for (const detector of detectors) {
      let out = "";
      let last = 0;
      for (const hit of detector.hits(text)) {
        if (isToken(text.slice(hit.start, hit.end))) continue;
        out += text.slice(last, hit.start) + this.token(hit.type ?? detector.type, hit.key, field);
        last = hit.end;
      }
      if (last > 0) text = out + text.slice(last);
    }
    return text;
  }

  /**
   * What a decoded base64 run hides, scrubbed by a scrubber of its own (the run's findings are not
   * this scrubber's tokens): nothing, one known value (it keeps that value's token, so `<email-1>` is
   * the same whether the address was written plainly or encoded), or something else (a secret).
   */
  private reveal(encoded: string, decoded: string): Revealed | undefined {
    const inner = new Scrubber({ patterns: this.options.patterns, keys: this.options.keys }, this.depth + 1);
    const scrubbed = inner.text(decoded, "");
    if (scrubbed === decoded) return undefined;
    const [only] = inner.tokens;
    if (inner.tokens.size === 1 && only![1] === scrubbed) {
      const [type, key] = only![0].split("\u0000") as [string, string];
      return { type, key };
    }
    return { type: "secret", key: encoded };
  }

  /** A card number written as a JSON or OTLP integer. */
  private number(value: number, field: string): AttributeValue {
    const digits = Number.isInteger(value) && value > 0 ? String(value) : "";
    if (digits.length < 13 || digits.length > 19) return value;
    const scrubbed = this.plain(digits, field, this.numberDetectors);
    return scrubbed === digits ? value : scrubbed;
  }

  /** The whole value of a sensitive key; a value that is one known kind (an email) keeps that token. */
  private whole(value: AttributeValue, field: string, key: string): AttributeValue {
    if (value === null || typeof value === "boolean" || value === "") return value;
    if (typeof value === "string" && (isToken(value) || this.keep.has(value))) return value;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    for (const detector of this.detectors) {
      const first = detector.hits(text)[Symbol.iterator]().next();
      if (!first.done && first.value.start === 0 && first.value.end === text.length) {
        return this.token(first.value.type ?? detector.type, first.value.key, field);
      }
    }
    return this.token(this.keys.has(key) ? "redacted" : "secret", text, field);
  }

  /**
   * Walks JSON text literal by literal: keys and strings are decoded, scrubbed and re-encoded, numbers
   * checked as card numbers, everything else (layout, other numbers, big integers) kept byte for byte.
   */
  private json(text: string, field: string): string {
    const sensitive = (key: string | undefined) => key !== undefined && this.sensitiveKey(key);
    return editJsonLiterals(text, {
      key: (name, literal) => {
        const scrubbed = this.text(name, field);
        return scrubbed === name ? literal : JSON.stringify(scrubbed);
      },
      string: (value, literal, key) => {
        const scrubbed = sensitive(key) ? this.whole(value, field, key!) : this.text(value, field);
        return scrubbed === value ? literal : JSON.stringify(scrubbed);
      },
      number: (literal, key) => {
        const n = Number(literal);
        const scrubbed = sensitive(key)
          ? this.whole(n, field, key!)
          : /^\d{13,19}$/.test(literal)
            ? this.plain(literal, field, this.numberDetectors)
            : literal;
        return scrubbed === literal || scrubbed === n ? literal : JSON.stringify(scrubbed);
      },
    });
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
