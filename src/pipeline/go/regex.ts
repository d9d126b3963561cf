import { RE2JS, RE2JSException } from "re2js";

/**
 * Go's `regexp` package as the collector's processors use it, on re2js (a port of RE2 with Go's syntax
 * and leftmost-first semantics): matching takes time linear in the input, and a pattern Go refuses
 * (lookaround, backreferences, `\C`, …) is refused here too, so callers report it as bad config.
 * Offsets are UTF-16 code units; for valid Unicode text they mark the same characters as Go's byte
 * offsets do.
 */
export class GoRegex {
  private constructor(
    readonly source: string,
    private readonly re: RE2JS,
    /** Go's `SubexpNames`: index 0 is the whole match, "" for an unnamed group. */
    readonly names: readonly string[],
  ) {}

  /** Compiles a pattern as Go's `regexp.Compile` does, or returns Go's reason for refusing it. */
  static compile(pattern: string): GoRegex | { error: string } {
    try {
      const re = RE2JS.compile(pattern);
      return new GoRegex(
        pattern,
        re,
        subexpNames(re, (name) => name),
      );
    } catch (err) {
      if (!(err instanceof RE2JSException)) throw err;
      // Go allows one name on several groups; re2js doesn't: give the repeats private names.
      if (err.message.includes("duplicate capture group name")) {
        try {
          const { renamed, original } = renameDuplicateGroups(pattern);
          const re = RE2JS.compile(renamed);
          return new GoRegex(
            pattern,
            re,
            subexpNames(re, (name) => original.get(name) ?? name),
          );
        } catch {
          // fall through to the original error
        }
      }
      return {
        error: `invalid regular expression ${JSON.stringify(pattern)}: ${err.message}${hint(pattern)}`,
      };
    }
  }

  /** `MatchString`: a match anywhere in `text`. */
  test(text: string): boolean {
    return this.re.test(text);
  }

  /**
   * Searches `text` repeatedly, each search from a position the caller chooses (anchors and `\b` still
   * see the whole text): `find(from)` gives the leftmost match at or after `from` as offset pairs, as
   * Go's `FindStringSubmatchIndex` does (-1 for a group that took no part), or null.
   */
  searcher(text: string): { find(from: number): number[] | null } {
    const pairs = this.names.length;
    // re2js answers "is there a match at all" on its DFA, much faster than it locates one: ask first.
    let m: ReturnType<RE2JS["matcher"]> | null | undefined;
    return {
      find: (from) => {
        if (m === undefined) m = this.re.test(text) ? this.re.matcher(text) : null;
        if (m === null || from > text.length || !m.find(from)) return null;
        const out: number[] = [];
        for (let g = 0; g < pairs; g++) out.push(m.start(g), m.end(g));
        return out;
      },
    };
  }

  /** `FindStringSubmatch`: the match and its groups (undefined where a group took no part), or null. */
  exec(text: string): (string | undefined)[] | null {
    const m = this.re.matcher(text);
    return m.find(0) ? groupsOf(m, this.names.length) : null;
  }

  /**
   * `ReplaceAllStringFunc` with the submatches: successive non-overlapping matches are replaced, except
   * an empty match right after the previous match. Returns `text` itself when nothing matched.
   */
  replaceAll(text: string, replace: (groups: readonly (string | undefined)[]) => string): string {
    const m = this.re.matcher(text);
    let out = "";
    let lastEnd = 0;
    let search = 0;
    let replaced = false;
    while (search <= text.length && m.find(search)) {
      const start = m.start();
      const end = m.end();
      out += text.slice(lastEnd, start);
      if (end > lastEnd || start === 0) {
        out += replace(groupsOf(m, this.names.length));
        replaced = true;
      }
      lastEnd = end;
      // Advance past the match, and by at least one character (Go's regexp.replaceAll).
      const width = codePointLength(text, search);
      if (search + width > end) search += width;
      else if (search + 1 > end) search++;
      else search = end;
    }
    return replaced ? out + text.slice(lastEnd) : text;
  }

  /** `ReplaceAllString`: every match replaced by `template` with `$1`, `${name}`, `$$` expanded. */
  replaceAllTemplate(text: string, template: string): string {
    return this.replaceAll(text, (groups) => this.expand(template, groups));
  }

  /**
   * Go's `Regexp.Expand`: `$name` and `${name}`, where a name is the longest run of letters, digits and
   * underscores (so `$1x` is the group named "1x", not group 1 then "x"); a purely numeric name without a
   * leading zero is a group number; `$$` is a dollar; an unknown or unmatched group expands to nothing; a
   * malformed `$` is kept as it is.
   */
  expand(template: string, groups: readonly (string | undefined)[]): string {
    let out = "";
    let i = 0;
    while (i < template.length) {
      const dollar = template.indexOf("$", i);
      if (dollar < 0) break;
      out += template.slice(i, dollar);
      i = dollar + 1;
      if (template[i] === "$") {
        out += "$";
        i++;
        continue;
      }
      const ref = readReference(template, i);
      if (!ref) {
        out += "$";
        continue;
      }
      i = ref.next;
      out += this.groupText(ref.name, groups) ?? "";
    }
    return out + template.slice(i);
  }

  private groupText(name: string, groups: readonly (string | undefined)[]): string | undefined {
    const num = groupNumber(name);
    if (num >= 0) return groups[num];
    for (let g = 1; g < this.names.length; g++) {
      if (this.names[g] === name && groups[g] !== undefined) return groups[g];
    }
    return undefined;
  }
}

/** Compiles a Go pattern, or returns why Go would refuse it (for callers that report instead of throw). */
export function compileGoRegex(pattern: string): GoRegex | { error: string } {
  return GoRegex.compile(pattern);
}

export function isGoRegexError(r: GoRegex | { error: string }): r is { error: string } {
  return "error" in r;
}

function groupsOf(m: ReturnType<RE2JS["matcher"]>, count: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let g = 0; g < count; g++) out.push(m.group(g) ?? undefined);
  return out;
}

function codePointLength(text: string, index: number): number {
  const c = text.codePointAt(index);
  return c === undefined ? 0 : c > 0xffff ? 2 : 1;
}

/** A letter, digit or underscore, as Go's `unicode.IsLetter`/`IsDigit` read them. */
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function readReference(template: string, at: number): { name: string; next: number } | undefined {
  const braced = template[at] === "{";
  let i = braced ? at + 1 : at;
  const from = i;
  while (i < template.length) {
    const c = String.fromCodePoint(template.codePointAt(i)!);
    if (!NAME_CHAR.test(c)) break;
    i += c.length;
  }
  if (i === from) return undefined;
  const name = template.slice(from, i);
  if (braced) {
    if (template[i] !== "}") return undefined;
    i++;
  }
  return { name, next: i };
}

/** Go's rule: ASCII digits only, no leading zero, below 1e8; else -1 (the reference is a name). */
function groupNumber(name: string): number {
  if (!/^[0-9]+$/.test(name) || (name.length > 1 && name[0] === "0") || name.length > 8) return -1;
  return Number(name);
}

/** Why a pattern a JavaScript or PCRE user would expect to work is refused. */
function hint(pattern: string): string {
  if (/\(\?<?[=!]/.test(pattern))
    return " (Go's RE2 syntax has no lookahead or lookbehind; the collector refuses this pattern)";
  if (/\\[1-9]/.test(pattern))
    return " (Go's RE2 syntax has no backreferences; the collector refuses this pattern)";
  return "";
}

/**
 * The named groups of a pattern, found by scanning it as RE2's parser reads it: escapes, `\Q…\E`
 * quotes and character classes hold no groups.
 */
function scanNamedGroups(pattern: string): { name: string; at: number; length: number }[] {
  const groups: { name: string; at: number; length: number }[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (pattern[i + 1] === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        i = end < 0 ? pattern.length : end + 2;
      } else i += 2;
      continue;
    }
    if (c === "[") {
      i = classEnd(pattern, i);
      continue;
    }
    if (c === "(") {
      const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(pattern.slice(i, i + 256));
      if (named) groups.push({ name: named[1]!, at: i, length: named[0].length });
    }
    i++;
  }
  return groups;
}

/** The index just past the character class that opens at `open`. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  while (i < pattern.length && pattern[i] !== "]") {
    if (pattern[i] === "\\") i += 2;
    else if (pattern.startsWith("[:", i)) {
      const close = pattern.indexOf(":]", i + 2);
      i = close < 0 ? i + 1 : close + 2;
    } else i++;
  }
  return i + 1;
}

/** Go's `SubexpNames` from the compiled pattern; `rename` maps a private name back to the written one. */
function subexpNames(re: RE2JS, rename: (name: string) => string): string[] {
  const names = new Array<string>(re.groupCount() + 1).fill("");
  for (const [name, index] of Object.entries(re.namedGroups())) names[index] = rename(name);
  return names;
}

/** The pattern with every repeat of a group name replaced by a private name, and the way back. */
function renameDuplicateGroups(pattern: string): { renamed: string; original: Map<string, string> } {
  const seen = new Set<string>();
  const original = new Map<string, string>();
  let out = "";
  let last = 0;
  scanNamedGroups(pattern).forEach((g, index) => {
    if (seen.has(g.name)) {
      const alias = `trailcheck_dup_${index}`;
      original.set(alias, g.name);
      out += `${pattern.slice(last, g.at)}(?P<${alias}>`;
      last = g.at + g.length;
    }
    seen.add(g.name);
  });
  return { renamed: out + pattern.slice(last), original };
}
