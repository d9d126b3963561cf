import { GoRegex, isGoRegexError } from "../go/regex.js";
import type { BoolExpr, CompareOp, OttlContext, Statement, ValueExpr } from "./ast.js";
import { resolvePath } from "./paths.js";
import { OttlGrammarError, OttlPatternError, OttlSyntaxError, type Token, tokenize } from "./tokenizer.js";

const ENUMS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

/** Converters usable in conditions and values, with their arity. */
export const CONVERTERS: Record<string, number> = {
  IsMatch: 2,
  IsString: 1,
  IsInt: 1,
  IsDouble: 1,
  IsBool: 1,
  IsMap: 1,
  IsList: 1,
};

/** Editors the transform processor models. */
export const EDITORS = [
  "set",
  "delete_key",
  "delete_matching_keys",
  "keep_keys",
  "truncate_all",
  "replace_pattern",
  "replace_all_patterns",
  "limit",
] as const;

/** Which argument of a function is a regular expression, compiled when the collector starts. */
const PATTERN_ARGUMENT: Record<string, number> = {
  IsMatch: 1,
  delete_matching_keys: 1,
  replace_pattern: 1,
  replace_all_patterns: 2,
};

/** Compiles a function's pattern argument, if it has one written as a literal. */
function patternOf(name: string, args: readonly ValueExpr[]): GoRegex | undefined {
  const at = PATTERN_ARGUMENT[name];
  const arg = at === undefined ? undefined : args[at];
  if (arg?.type !== "literal" || typeof arg.value !== "string") return undefined;
  const re = GoRegex.compile(arg.value);
  if (isGoRegexError(re)) throw new OttlPatternError(arg.column, `${name}: ${re.error}`);
  return re;
}

class Parser {
  private pos = 0;
  /** Editor arguments may name a whole attribute map (`delete_key(attributes, "k")`). */
  private mapArgs = false;
  constructor(
    private readonly tokens: Token[],
    private readonly context: OttlContext,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text === word;
  }
  private expect(kind: Token["kind"], what: string): Token {
    const t = this.next();
    if (t.kind === "eof" && kind !== "eof")
      throw new OttlGrammarError(t.column, `expected ${what}, found end of input`);
    if (t.kind !== kind) throw new OttlSyntaxError(t.column, `expected ${what}, found ${t.text}`);
    return t;
  }
  end(): void {
    const t = this.peek();
    if (t.kind === "eof") return;
    // Nothing in OTTL follows a whole expression with a comma or a second comparison.
    const malformed = t.kind === "," || t.kind === "op";
    throw new (malformed ? OttlGrammarError : OttlSyntaxError)(
      t.column,
      `unexpected ${JSON.stringify(t.text)}`,
    );
  }

  or(): BoolExpr {
    let left = this.and();
    while (this.isWord("or")) {
      this.next();
      left = { type: "or", left, right: this.and() };
    }
    return left;
  }
  private and(): BoolExpr {
    let left = this.not();
    while (this.isWord("and")) {
      this.next();
      left = { type: "and", left, right: this.not() };
    }
    return left;
  }
  private not(): BoolExpr {
    if (this.isWord("not")) {
      this.next();
      return { type: "not", expr: this.not() };
    }
    if (this.peek().kind === "(") {
      this.next();
      const inner = this.or();
      this.expect(")", '")"');
      return inner;
    }
    const left = this.value();
    const op = this.peek();
    if (op.kind === "op") {
      this.next();
      return { type: "compare", op: op.text as CompareOp, left, right: this.value() };
    }
    const isBool = (left.type === "literal" && typeof left.value === "boolean") || left.type === "call";
    if (!isBool) throw new OttlSyntaxError(op.column, "expected a comparison operator");
    return { type: "value", expr: left };
  }

  value(): ValueExpr {
    const t = this.next();
    const column = t.column;
    switch (t.kind) {
      case "string":
        return { type: "literal", value: t.value!, column };
      case "int": {
        // An int64 (the grammar's `Int *int64`): exact beyond 2^53, kept as its decimal text like an
        // int64 attribute value; outside int64 the collector refuses the statement.
        const n = BigInt(t.text);
        if (n < -(2n ** 63n) || n >= 2n ** 63n)
          throw new OttlGrammarError(column, `integer ${t.text} is out of the int64 range`);
        if (Number.isSafeInteger(Number(n))) return { type: "literal", value: Number(n), column };
        return { type: "literal", value: n.toString(), column, int64: true };
      }
      case "float":
        // A float64 even when integral (`5.0`): IsDouble and the type a set() writes tell it apart.
        return { type: "literal", value: Number(t.text), column, double: true };
      case "[": {
        const items: ValueExpr[] = [];
        if (this.peek().kind !== "]") {
          items.push(this.value());
          while (this.peek().kind === ",") {
            this.next();
            items.push(this.value());
          }
        }
        this.expect("]", '"]"');
        return { type: "list", items, column };
      }
      case "ident":
        break;
      default:
        // No OTTL value starts with these: the expression is cut short or malformed.
        if (t.kind === "eof" || t.kind === ")" || t.kind === "]" || t.kind === "," || t.kind === "op")
          throw new OttlGrammarError(
            column,
            `expected a value, found ${t.kind === "eof" ? "end of input" : JSON.stringify(t.text)}`,
          );
        throw new OttlSyntaxError(column, `unexpected ${JSON.stringify(t.text)}`);
    }
    if (t.text === "true" || t.text === "false") return { type: "literal", value: t.text === "true", column };
    if (t.text === "nil") return { type: "literal", value: null, column };
    if (t.text in ENUMS) return { type: "literal", value: ENUMS[t.text]!, column };
    if (this.peek().kind === "(") return this.call(t);
    if (/^[A-Z][A-Z0-9_]*$/.test(t.text)) throw new OttlSyntaxError(column, `unknown enum ${t.text}`);
    return this.path(t);
  }

  private args(): ValueExpr[] {
    this.expect("(", '"("');
    const args: ValueExpr[] = [];
    if (this.peek().kind !== ")") {
      args.push(this.value());
      while (this.peek().kind === ",") {
        this.next();
        args.push(this.value());
      }
    }
    this.expect(")", '")"');
    return args;
  }

  private call(name: Token): ValueExpr {
    const arity = CONVERTERS[name.text];
    if (arity === undefined) throw new OttlSyntaxError(name.column, `unsupported function ${name.text}`);
    const args = this.args();
    if (args.length !== arity) {
      throw new OttlSyntaxError(name.column, `${name.text} takes ${arity} argument(s), got ${args.length}`);
    }
    const node: ValueExpr = { type: "call", name: name.text, args, column: name.column };
    if (name.text === "IsMatch") {
      const pattern = args[1]!;
      if (pattern.type !== "literal" || typeof pattern.value !== "string") {
        throw new OttlSyntaxError(pattern.column, "IsMatch needs a string literal pattern");
      }
      node.regex = patternOf(name.text, args);
    }
    return node;
  }

  private path(first: Token): ValueExpr {
    const segments = [first.text];
    let end = first.column + first.text.length;
    while (this.peek().kind === ".") {
      this.next();
      const seg = this.expect("ident", "a path segment");
      segments.push(seg.text);
      end = seg.column + seg.text.length;
    }
    const keys: (string | number)[] = [];
    while (this.peek().kind === "[") {
      this.next();
      const k = this.next();
      if (k.kind === "string") keys.push(k.value!);
      else if (k.kind === "int") keys.push(Number(k.text));
      else throw new OttlSyntaxError(k.column, "expected a string or integer key");
      end = this.expect("]", '"]"').column + 1;
    }
    const text = this.tokensText(first.column, end);
    const path = resolvePath(segments, keys, this.context, first.column, this.mapArgs);
    return { type: "path", path, text, column: first.column };
  }

  private source = "";
  withSource(text: string): this {
    this.source = text;
    return this;
  }
  private tokensText(from: number, to: number): string {
    return this.source.slice(from - 1, to - 1);
  }

  statement(text: string): Statement {
    const name = this.expect("ident", "a function name");
    if (!(EDITORS as readonly string[]).includes(name.text)) {
      throw new OttlSyntaxError(name.column, `unsupported function ${name.text}`);
    }
    this.mapArgs = true;
    const args = this.args();
    this.mapArgs = false;
    patternOf(name.text, args);
    let where: BoolExpr | undefined;
    if (this.isWord("where")) {
      this.next();
      where = this.or();
    }
    this.end();
    return { editor: name.text, args, ...(where ? { where } : {}), column: name.column, text };
  }
}

/** Parses a boolean condition; throws OttlSyntaxError with the column of anything outside the subset. */
export function parseCondition(text: string, context: OttlContext = "span"): BoolExpr {
  const p = new Parser(tokenize(text), context).withSource(text);
  const expr = p.or();
  p.end();
  return expr;
}

/** Parses an editor statement (`delete_key(attributes, "k") where …`). */
export function parseStatement(text: string, context: OttlContext = "span"): Statement {
  return new Parser(tokenize(text), context).withSource(text).statement(text);
}

/** The attribute map an editor argument names (`attributes`, `resource.attributes`), if it names one. */
export function mapTarget(expr: ValueExpr): "span" | "spanevent" | "resource" | undefined {
  if (expr.type !== "path" || expr.path.kind !== "attributes" || expr.path.keys.length > 0) return undefined;
  return expr.path.of === "scope" ? undefined : expr.path.of;
}
