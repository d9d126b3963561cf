/** Tokens of the OTTL subset trailcheck reads. Columns are 1-based, for error messages. */
export type TokenKind =
  | "ident"
  | "string"
  | "int"
  | "float"
  | "op"
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "."
  | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** The decoded value of a string literal. */
  readonly value?: string;
  readonly column: number;
}

/** An expression outside the subset, or malformed: the message says where. */
export class OttlSyntaxError extends Error {
  readonly code = "ottl-syntax";
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`column ${column}: ${reason}`);
    this.name = "OttlSyntaxError";
  }
}

/**
 * What the collector itself refuses: it parses every statement when it starts, so unlike a construct
 * outside the modelled subset (reported as unknown) this is bad config, exit 2 with file and line.
 */
export class OttlRefusal extends OttlSyntaxError {}

/** A regular expression the collector's Go regexp refuses (it compiles OTTL patterns at start-up). */
export class OttlPatternError extends OttlRefusal {
  constructor(column: number, reason: string) {
    super(column, reason);
    this.name = "OttlPatternError";
  }
}

/**
 * Malformed in any OTTL, not merely outside the subset: an unterminated string, a character no OTTL
 * token starts with, brackets that don't pair up, an expression that ends too soon.
 */
export class OttlGrammarError extends OttlRefusal {
  constructor(column: number, reason: string) {
    super(column, reason);
    this.name = "OttlGrammarError";
  }
}

/** Characters some OTTL token starts with, beyond letters, digits and white space: the rest never lex. */
const OTTL_PUNCTUATION = new Set([...'"<>=!()[]{}:,.+-*/_']);

/** Brackets must pair up in any OTTL; checked first, so the error points at the one that doesn't. */
function checkBrackets(tokens: readonly Token[]): void {
  const open: Token[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[" };
  for (const t of tokens) {
    if (t.kind === "(" || t.kind === "[") open.push(t);
    else if (t.kind === ")" || t.kind === "]") {
      const last = open.pop();
      if (last?.kind !== pairs[t.kind])
        throw new OttlGrammarError(t.column, `unmatched ${JSON.stringify(t.text)}`);
    }
  }
  const unclosed = open.pop();
  if (unclosed)
    throw new OttlGrammarError(unclosed.column, `${JSON.stringify(unclosed.text)} is never closed`);
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r" };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let value = "";
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\") {
          const e = ESCAPES[text[j + 1] ?? ""];
          if (e === undefined)
            throw new OttlSyntaxError(j + 1, `unsupported escape \\${text[j + 1] ?? ""} in string`);
          value += e;
          j++;
        } else value += text[j];
      }
      if (j >= text.length) throw new OttlGrammarError(column, "unterminated string");
      tokens.push({ kind: "string", text: text.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "==" || two === "!=" || two === "<=" || two === ">=") {
      tokens.push({ kind: "op", text: two, column });
      i += 2;
      continue;
    }
    if (c === "<" || c === ">") {
      tokens.push({ kind: "op", text: c, column });
      i++;
      continue;
    }
    if ("()[],".includes(c)) {
      tokens.push({ kind: c as TokenKind, text: c, column });
      i++;
      continue;
    }
    const num = /^-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && (c !== "-" || /[\d.]/.test(text[i + 1] ?? ""))) {
      if (/^-?0x/i.test(text.slice(i))) throw new OttlSyntaxError(column, "byte literals are not supported");
      const isFloat = /[.eE]/.test(num[0]);
      tokens.push({ kind: isFloat ? "float" : "int", text: num[0], column });
      i += num[0].length;
      continue;
    }
    if (c === ".") {
      tokens.push({ kind: ".", text: c, column });
      i++;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0], column });
      i += ident[0].length;
      continue;
    }
    const lexes = OTTL_PUNCTUATION.has(c) && (c !== "!" || text[i + 1] === "=");
    throw new (lexes ? OttlSyntaxError : OttlGrammarError)(
      column,
      `unexpected character ${JSON.stringify(c)}`,
    );
  }
  tokens.push({ kind: "eof", text: "", column: text.length + 1 });
  checkBrackets(tokens);
  return tokens;
}
