/**
 * Recorded text (span names, attribute values, messages built from them) shown to a person. Some
 * characters must not reach a reader raw: control characters rewrite a terminal (ANSI escapes,
 * carriage returns, line breaks that fake an output line); bidirectional controls reorder what is shown
 * so text reads other than it is (Trojan Source, CVE-2021-42574); invisible format characters hide text
 * (zero-width space, word joiner, byte-order mark, Unicode tags U+E0000–U+E007F, which can carry a whole
 * hidden message). Joiners (U+200C, U+200D) and variation selectors stay: emoji and many scripts need
 * them, and they reorder nothing.
 */
const HIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

const BREAKS: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };

/** `\u202e` (four hex digits), `\u{e0041}` beyond the first plane. */
function escaped(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = code.toString(16);
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, "0")}`;
}

/**
 * Text made safe for one terminal line: line breaks and tabs as `\n` and `\t`, every other hidden
 * character as `\u202e`, so span content can neither rewrite the screen nor disguise what it says.
 */
export function escapeTerminal(text: string): string {
  return text.replace(HIDDEN, (c) => BREAKS[c] ?? escaped(c));
}

/** `escapeTerminal`, cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = escapeTerminal(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Text for HTML, before HTML escaping: every hidden character shown as `<U+202E>`. Line breaks and tabs
 * stay, since HTML lays them out as white space and never lets them reorder or hide anything.
 */
export function showHidden(text: string): string {
  return text.replace(HIDDEN, (c) =>
    BREAKS[c] ? c : `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`,
  );
}

/** `showHidden` on every string of a view (plain objects and arrays), so no template can forget it. */
export function showHiddenIn<T>(value: T): T {
  if (typeof value === "string") return showHidden(value) as T;
  if (Array.isArray(value)) return value.map(showHiddenIn) as T;
  const proto = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object)) out[k] = showHiddenIn(v);
    return out as T;
  }
  return value;
}
