/**
 * Makes recorded text safe for one terminal line: control characters (newlines and tabs too), ANSI
 * escapes and bidirectional overrides are shown escaped, so span content can't rewrite the screen
 * or disguise what it says.
 */
export function escapeLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Escapes and cuts to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = escapeLine(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
