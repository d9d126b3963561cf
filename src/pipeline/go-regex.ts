/**
 * Go (RE2) regular expressions as the collector's processors use them, run with JavaScript's engine.
 * The syntax both share is passed through; Go-only spellings that have a JavaScript equivalent are
 * translated; anything else is refused with a message, so callers can report it instead of guessing.
 */
export interface GoRegex {
  readonly source: string;
  /** For `MatchString` (unanchored). */
  readonly test: RegExp;
  /** For `ReplaceAll*` and `FindAll*`. */
  readonly global: RegExp;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: "\\t\\n\\v\\f\\r ",
  xdigit: "0-9A-Fa-f",
  punct: "!-\\/:-@\\[-`{-~",
  word: "0-9A-Za-z_",
};

/** Compiles a Go regular expression; returns a message instead when it can't be run faithfully. */
export function compileGoRegex(pattern: string): GoRegex | { error: string } {
  let source = pattern;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]!.includes("U"))
      return { error: `flag U (ungreedy) in ${JSON.stringify(pattern)} is not supported` };
    flags = [...new Set(lead[1]!)].join("");
    source = source.slice(lead[0].length);
  }
  if (/\(\?[imsU-]+[:)]/.test(source)) {
    return { error: `inline flag groups in ${JSON.stringify(pattern)} are not supported` };
  }
  if (/\\[QEC]|\\p\{|\\P\{|\\pL|\\pN/.test(source)) {
    return { error: `escape in ${JSON.stringify(pattern)} is not supported` };
  }
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (!cls || neg) return whole;
      return cls;
    });
  for (const extra of ["u", ""]) {
    try {
      return {
        source: pattern,
        test: new RegExp(source, flags + extra),
        global: new RegExp(source, `${flags + extra}g`),
      };
    } catch {
      // Go accepts escaped punctuation that Unicode-mode JavaScript refuses; retry without "u".
    }
  }
  return { error: `invalid regular expression ${JSON.stringify(pattern)}` };
}

export function isGoRegexError(r: GoRegex | { error: string }): r is { error: string } {
  return "error" in r;
}

/**
 * Go's `ReplaceAllStringFunc`: successive non-overlapping matches, where an empty match right after a
 * previous match is ignored (so `.*` on "abc" matches once, not twice as in JavaScript). Returns the
 * input itself when nothing matched.
 */
export function goReplaceAll(text: string, re: GoRegex, replace: (match: RegExpExecArray) => string): string {
  const g = re.global;
  g.lastIndex = 0;
  let out = "";
  let last = 0;
  let prevEnd = -1;
  let matched = false;
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      // JavaScript would match the same empty string forever; Go moves on by one character.
      g.lastIndex = start + (codePointLength(text, start) || 1);
      if (start === prevEnd) continue;
    }
    matched = true;
    out += text.slice(last, start) + replace(m);
    last = end;
    prevEnd = end;
  }
  return matched ? out + text.slice(last) : text;
}

function codePointLength(text: string, index: number): number {
  const c = text.codePointAt(index);
  return c === undefined ? 0 : c > 0xffff ? 2 : 1;
}

/**
 * Go's `Regexp.Expand` template: `$1`, `${1}`, `$name`, `${name}`, `$$`. A name runs as long as
 * letters, digits and underscores follow; unknown groups expand to nothing; a malformed `$` is literal.
 */
export function goExpand(template: string, m: RegExpExecArray): string {
  if (!template.includes("$")) return template;
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i;
    if (next === "{") {
      const close = template.indexOf("}", i + 2);
      const inner = close < 0 ? "" : template.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        end = close;
      }
    } else {
      const run = /^\w+/.exec(template.slice(i + 1));
      if (run) {
        name = run[0];
        end = i + run[0].length;
      }
    }
    if (name === undefined) {
      out += "$";
      continue;
    }
    out += groupValue(m, name) ?? "";
    i = end;
  }
  return out;
}

function groupValue(m: RegExpExecArray, name: string): string | undefined {
  if (/^\d+$/.test(name)) return m[Number(name)];
  return m.groups?.[name];
}
