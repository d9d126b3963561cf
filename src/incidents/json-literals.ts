/** How `editJsonLiterals` rewrites the literals of JSON text; each returns the literal's new text. */
export interface LiteralEditor {
  /** An object key, decoded. */
  key(name: string, literal: string): string;
  /** A string value, decoded; `key` is the object key it is the value of, if any. */
  string(value: string, literal: string, key: string | undefined): string;
  /** A number, as written; `key` as above. */
  number(literal: string, key: string | undefined): string;
}

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t";

/**
 * Rewrites the string and number literals of valid JSON text, keeping everything else (layout, `true`,
 * big integers) byte for byte. One pass over the text: a literal's role (key or value, and whose value)
 * is read from the characters around it, never by re-scanning what came before.
 */
export function editJsonLiterals(text: string, edit: LiteralEditor): string {
  let out = "";
  let last = 0;
  let lastKey: string | undefined;
  let previous = ""; // the last character that is not whitespace, before the current literal
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      const literal = text.slice(i, end);
      let after = end;
      while (isSpace(text[after])) after++;
      const owner = previous === ":" ? lastKey : undefined;
      const decoded = JSON.parse(literal) as string;
      out += text.slice(last, i);
      if (text[after] === ":") {
        lastKey = decoded;
        out += edit.key(decoded, literal);
      } else out += edit.string(decoded, literal, owner);
      last = i = end;
      previous = '"';
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end++;
      out += text.slice(last, i) + edit.number(text.slice(i, end), previous === ":" ? lastKey : undefined);
      last = i = end;
      previous = "0";
    } else {
      if (!isSpace(c)) previous = c;
      i++;
    }
  }
  return out + text.slice(last);
}

/** The index just past the string literal that opens at `open`. */
function stringEnd(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}
