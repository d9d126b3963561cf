import { isIPv6 } from "node:net";

/**
 * One kind of personal data or secret. `pattern` is global; `accept` looks at a match and says which
 * part to replace and the value's identity (so `4111 1111 1111 1111` and `4111111111111111` share a
 * token), or returns undefined to keep the match as it is.
 */
export interface Detector {
  /** Names the token: `<email-1>`. */
  readonly type: string;
  readonly pattern: RegExp;
  readonly accept?: (match: RegExpExecArray) => { prefix: string; value: string; key: string } | undefined;
}

/** A token this scrubber wrote: never scrubbed again, so scrubbing twice changes nothing. */
export const TOKEN = /^<[a-z][a-z0-9-]*-\d+>$/;

/** The Luhn checksum every payment card number satisfies (ISO/IEC 7812-1). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const whole =
  (normalize: (s: string) => string = (s) => s) =>
  (m: RegExpExecArray) => ({ prefix: "", value: m[0], key: normalize(m[0]) });

/** A value after a prefix that names it (`Bearer …`, `api_key=…`): only the value is replaced. */
const afterPrefix = (m: RegExpExecArray) => ({ prefix: m[1]!, value: m[2]!, key: m[2]! });

const SECRET_NAMES =
  "api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd";

/**
 * Keys whose whole value is a secret wherever they appear: attribute keys, JSON object keys, HTTP
 * headers (OWASP Logging Cheat Sheet: never log passwords, session ids, access tokens, keys).
 */
export const SECRET_KEY =
  /(?:^|[._-])(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|secret|secret[_-]?key|password|passwd|authorization|x-api-key|cookie|set-cookie)$/i;

/** The built-in detectors, in the order they run: secrets first, so a key is not half-read as a phone. */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  // OpenAI/Anthropic-style keys, AWS access key ids, GitHub and Slack tokens.
  { type: "secret", pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, accept: whole() },
  { type: "secret", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, accept: whole() },
  { type: "secret", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, accept: whole() },
  { type: "secret", pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g, accept: whole() },
  { type: "secret", pattern: /(\b[Bb]earer\s+)([A-Za-z0-9._~+/-]{8,}=*)/g, accept: afterPrefix },
  {
    type: "secret",
    pattern: new RegExp(`(\\b(?:${SECRET_NAMES})["']?\\s*[:=]\\s*["']?)((?!<[a-z])[^\\s"'&,;}]{4,})`, "gi"),
    accept: afterPrefix,
  },
  {
    type: "email",
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    accept: whole((s) => s.toLowerCase()),
  },
  {
    // 13–19 digits, optionally grouped by spaces or dashes; only Luhn-valid runs are card numbers.
    type: "card",
    pattern: /(?<![\w+])\d(?:[ -]?\d){12,18}(?!\w)/g,
    accept: (m) => {
      // The run may continue past the card (`4111 1111 1111 1111 10`): try the longest group-aligned prefix.
      const text = m[0];
      for (let end = text.length; end > 0; end--) {
        if (end < text.length && /\d/.test(text[end]!)) continue;
        const digits = text.slice(0, end).replace(/\D/g, "");
        if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
          return { prefix: "", value: text.slice(0, end), key: digits };
        }
      }
      return undefined;
    },
  },
  {
    type: "ip",
    pattern:
      /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g,
    accept: whole(),
  },
  {
    type: "ip",
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g,
    accept: (m) =>
      isIPv6(m[0]) && (m[0].match(/[0-9A-Fa-f]+/g)?.length ?? 0) >= 2
        ? { prefix: "", value: m[0], key: m[0].toLowerCase() }
        : undefined,
  },
  {
    // Grouped numbers (+1 555 123 4567, (555) 123-4567, 555-123-4567) and E.164 (+4915112345678);
    // plain digit runs are ids and amounts, not phones.
    type: "phone",
    pattern:
      /(?<![\w+]|\d[ .-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?\d{3,4}[ .-]\d{3,4}|\d{2,4}[ .-]\d{3,4}[ .-]\d{3,4})(?!\w|[ .-]\d)|(?<![\w+])\+\d{8,15}(?!\w)/g,
    accept: whole((s) => s.replace(/[^\d+]/g, "")),
  },
];

/** A user-configured pattern (`scrub.patterns` in trailcheck.config.yaml): every match is scrubbed. */
export function patternDetector(name: string, pattern: RegExp): Detector {
  const flags = pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`;
  return { type: name, pattern: new RegExp(pattern.source, flags), accept: whole() };
}
