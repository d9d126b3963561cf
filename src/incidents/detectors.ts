import { isUtf8 } from "node:buffer";
import { isIPv6 } from "node:net";
import { luhnValid } from "../model/luhn.js";
import { GoRegex, isGoRegexError } from "../pipeline/go/regex.js";

/** One value to replace: `[start, end)` of the text, and its identity (the same key gets the same token). */
export interface Hit {
  readonly start: number;
  readonly end: number;
  readonly key: string;
  /** The token type, where it is not the detector's own (a base64 run that hides an email). */
  readonly type?: string;
}

/**
 * One kind of personal data or secret. `hits` yields the values to replace, left to right and never
 * overlapping, in time linear in the text's length: patterns run on RE2 (never on a backtracking
 * engine), and a candidate that is turned down costs no more than its own bounded length.
 */
export interface Detector {
  /** Names the token: `<email-1>`. */
  readonly type: string;
  hits(text: string): Iterable<Hit>;
}

/** A token this scrubber wrote: never scrubbed again, so scrubbing twice changes nothing. */
export const TOKEN = /^<[a-z][a-z0-9-]*-\d+>$/;

function compile(pattern: string): GoRegex {
  const re = GoRegex.compile(pattern);
  if (isGoRegexError(re)) throw new Error(re.error);
  return re;
}

type Accept = (text: string, start: number, end: number) => Hit | undefined;

/**
 * A detector from an RE2 pattern whose group `group` is the value (a lookbehind is written as a
 * consumed boundary before that group). `accept` checks or re-keys a candidate; one it turns down is
 * searched again one character later.
 */
function regexDetector(type: string, pattern: GoRegex, group = 0, accept?: Accept): Detector {
  return {
    type,
    *hits(text) {
      const search = pattern.searcher(text);
      let from = 0;
      for (let m = search.find(from); m !== null; m = search.find(from)) {
        const start = m[2 * group]!;
        const end = m[2 * group + 1]!;
        if (start < 0 || end <= start) {
          from = Math.max(m[1]!, m[0]! + 1);
          continue;
        }
        const hit = accept ? accept(text, start, end) : { start, end, key: text.slice(start, end) };
        if (hit) yield hit;
        from = hit ? hit.end : start + 1;
      }
    },
  };
}

const lower: Accept = (text, start, end) => ({ start, end, key: text.slice(start, end).toLowerCase() });
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c);

/** Well-known key and token formats, by their fixed prefixes. */
const KNOWN_SECRETS = [
  "sk-[A-Za-z0-9_-]{16,}", // OpenAI, Anthropic
  "(?:AKIA|ASIA)[0-9A-Z]{16}\\b", // AWS access key ids
  "gh[pousr]_[A-Za-z0-9]{30,}\\b", // GitHub tokens
  "github_pat_[A-Za-z0-9_]{22,}",
  "glpat-[A-Za-z0-9_-]{20,}", // GitLab
  "xox[abpr]-[A-Za-z0-9-]{10,}", // Slack
  "AIza[0-9A-Za-z_-]{35}", // Google API keys
  "[sr]k_(?:live|test)_[0-9A-Za-z]{16,}", // Stripe
  "npm_[A-Za-z0-9]{36}\\b",
  "eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*", // JWT: base64url {"…} . {"…} . signature
];

/** Names that announce a secret in `name=value`, `name: value` and `"name": "value"`. */
const SECRET_NAMES =
  "api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|private[_-]?token|client[_-]?secret|secret[_-]?key|secret[_-]?access[_-]?key|access[_-]?key|password|passwd";

/** URL query and form parameters that carry credentials (`?token=`, `&sig=`, presigned S3 URLs). */
const SECRET_PARAMETERS =
  "token|access_token|refresh_token|id_token|auth|auth_token|private_token|api_key|api-key|apikey|secret|client_secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|session|sessionid|session_id";

/**
 * Keys whose whole value is a secret wherever they appear: attribute keys, JSON object keys, HTTP
 * headers (OWASP Logging Cheat Sheet: never log passwords, session ids, access tokens, keys).
 */
export const SECRET_KEY =
  /(?:^|[._-])(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|private[_-]?token|client[_-]?secret|secret|secret[_-]?key|access[_-]?key|password|passwd|authorization|x-api-key|cookie|set-cookie|private[_-]?key)$/i;

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** Decodes standard base64 into text, or undefined when it is not UTF-8 text without control characters. */
export function base64Text(encoded: string, alphabet: "base64" | "base64url" = "base64"): string | undefined {
  const bytes = Buffer.from(encoded, alphabet);
  if (bytes.length === 0 || !isUtf8(bytes)) return undefined;
  const text = bytes.toString("utf8");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return undefined;
  }
  return text;
}

/**
 * `Basic <base64>`: credentials when they decode to `user:password`, or when an `Authorization` header
 * announces them; a word after "basic" in prose is neither.
 */
const basicCredentials: Accept = (text, start, end) => {
  const value = text.slice(start, end);
  const decoded = base64Text(value);
  const announced = /authorization/i.test(text.slice(Math.max(0, start - 40), start));
  return announced || decoded?.includes(":") ? { start, end, key: value } : undefined;
};

/**
 * Card numbers: 13–19 digits, optionally grouped by single spaces or dashes, not inside a longer word,
 * whose longest group-aligned prefix passes Luhn (so `4111 1111 1111 1111 10` is a card and a 10).
 * Scanned by hand: each place a number can start is tried once, over at most 37 characters.
 */
export const CARD_NUMBERS: Detector = {
  type: "card",
  *hits(text) {
    for (let s = 0; s < text.length; s++) {
      if (!isDigit(text[s]) || isWordChar(text[s - 1]) || text[s - 1] === "+") continue;
      const hit = cardAt(text, s);
      if (hit) {
        yield hit;
        s = hit.end - 1;
      }
    }
  },
};

function cardAt(text: string, start: number): Hit | undefined {
  let digits = "";
  const ends: number[] = []; // ends[k - 1]: just past the k-th digit
  for (let i = start; i < text.length && digits.length < 19; ) {
    if (isDigit(text[i])) {
      digits += text[i];
      ends.push(++i);
    } else if ((text[i] === " " || text[i] === "-") && isDigit(text[i + 1])) i++;
    else break;
  }
  // The longest run of 13–19 digits that no word character follows…
  let longest = digits.length;
  while (longest >= 13 && isWordChar(text[ends[longest - 1]!])) longest--;
  // …and within it the longest Luhn-valid prefix that ends where a digit group ends.
  for (let k = longest; k >= 13; k--) {
    const end = ends[k - 1]!;
    if (k < longest && isDigit(text[end])) continue;
    if (luhnValid(digits.slice(0, k))) return { start, end, key: digits.slice(0, k) };
  }
  return undefined;
}

const ipv6: Accept = (text, start, end) => {
  const value = text.slice(start, end);
  if (!isIPv6(value) || (value.match(/[0-9A-Fa-f]+/g)?.length ?? 0) < 2) return undefined;
  return { start, end, key: value.toLowerCase() };
};

/**
 * A PEM private key (`-----BEGIN … PRIVATE KEY-----` to its END line), replaced whole; a block cut
 * before its END line is taken as far as its base64 body runs. Its identity is the body alone, so the
 * same key with other line endings (or `\n` escapes) gets the same token.
 */
const PEM_BEGIN = compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----");
const PEM_END = compile("-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----");
const pemPrivateKey: Detector = {
  type: "secret",
  *hits(text) {
    const begins = PEM_BEGIN.searcher(text);
    const ends = PEM_END.searcher(text);
    let noEndAfter = text.length + 1;
    let from = 0;
    for (let m = begins.find(from); m !== null; m = begins.find(from)) {
      const bodyStart = m[1]!;
      const endMark = bodyStart < noEndAfter ? ends.find(bodyStart) : null;
      if (!endMark) noEndAfter = Math.min(noEndAfter, bodyStart);
      const bodyEnd = endMark ? endMark[0]! : base64BodyEnd(text, bodyStart);
      const end = endMark ? endMark[1]! : bodyEnd;
      yield { start: m[0]!, end, key: base64Body(text, bodyStart, bodyEnd) };
      from = end;
    }
  },
};

/** The base64 characters of a PEM body, without its line breaks (real ones or `\n` escapes). */
function base64Body(text: string, from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (c === "\\" && (text[i + 1] === "n" || text[i + 1] === "r")) i++;
    else if (BASE64_CHAR.test(c) || c === "=") out += c;
  }
  return out;
}

/** Where a PEM body (base64, whitespace, `\n` escapes) stops. */
function base64BodyEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (BASE64_CHAR.test(c) || c === "=" || c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (c === "\\" && (text[i + 1] === "n" || text[i + 1] === "r")) i += 2;
    else break;
  }
  return i;
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const GROUPED_PHONE =
  "(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?\\d{3,4}[ .-]\\d{3,4}|\\d{2,4}[ .-]\\d{3,4}[ .-]\\d{3,4})";

/** The built-in detectors, in the order they run: secrets first, so a key is not half-read as a phone. */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  pemPrivateKey,
  regexDetector("secret", compile(`\\b(?:${KNOWN_SECRETS.join("|")})`)),
  regexDetector("secret", compile("\\b([Bb]earer\\s+)([A-Za-z0-9._~+/-]{8,}=*)"), 2),
  regexDetector("secret", compile("\\b([Bb]asic\\s+)([A-Za-z0-9+/]{8,}={0,2})"), 2, basicCredentials),
  regexDetector(
    "secret",
    // A name may carry a prefix of words joined by `_` or `-` (`AWS_SECRET_ACCESS_KEY`, `db_password`):
    // `\b` does not separate `_`, so the bare names alone never matched those.
    compile(
      `(?i)(\\b(?:[a-z0-9]+[_-])*(?:${SECRET_NAMES})["']?\\s*[:=]\\s*["']?)([^<\\s"'&,;}][^\\s"'&,;}]{3,})`,
    ),
    2,
  ),
  regexDetector(
    "secret",
    compile(`(?i)((?:^|[?&;#\\s])(?:${SECRET_PARAMETERS})=)([^<&#\\s"'][^&#\\s"']*)`),
    2,
  ),
  regexDetector(
    "email",
    compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
    0,
    lower,
  ),
  CARD_NUMBERS,
  // Context a lookaround would check is matched instead (the value is group 1), so no candidate needs a
  // second look: an IPv4 address is not inside a word or a version number (`1.2.3.4.5`)…
  regexDetector("ip", compile(`(?:^|[^\\w.])(${IPV4})(?:$|[^\\w.]|\\.(?:$|\\D))`), 1),
  regexDetector(
    "ip",
    compile("(?:^|[^\\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?:$|[^\\w:])"),
    1,
    ipv6,
  ),
  // …and a phone number is grouped (+1 555 123 4567, (555) 123-4567, 555-123-4567) but not part of a
  // longer run of digit groups (a date, an id), or E.164 (+4915112345678). Plain digit runs are ids and
  // amounts, not phones.
  regexDetector(
    "phone",
    compile(`(?:^|[^\\w+ .-]|(?:^|\\D)[ .-])(${GROUPED_PHONE})(?:$|[^\\w .-]|[ .-](?:$|\\D))`),
    1,
    (text, start, end) => ({ start, end, key: text.slice(start, end).replace(/[^\d+]/g, "") }),
  ),
  regexDetector("phone", compile("(?:^|[^\\w+])(\\+\\d{8,15})\\b"), 1),
];

/** A user-configured pattern (`scrub.patterns` in trailcheck.config.yaml, RE2 syntax): every match is scrubbed. */
export function patternDetector(name: string, pattern: GoRegex): Detector {
  return regexDetector(name, pattern);
}
