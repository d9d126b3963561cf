export type { BoolExpr, CompareOp, OttlContext, OttlValue, PathRef, Statement, ValueExpr } from "./ast.js";
export {
  attributeMap,
  compare,
  evaluateCondition,
  evaluateValue,
  type OttlEnv,
  OttlRuntimeError,
  readPath,
  stringLike,
  typeOf,
} from "./evaluate.js";
export { CONVERTERS, EDITORS, mapTarget, parseCondition, parseStatement } from "./parser.js";
export { OttlGrammarError, OttlPatternError, OttlRefusal, OttlSyntaxError, tokenize } from "./tokenizer.js";

import type { BoolExpr, OttlContext } from "./ast.js";
import { parseCondition } from "./parser.js";
import { OttlSyntaxError } from "./tokenizer.js";

/** `parseCondition` that returns the error instead of throwing it. */
export function safeParseCondition(
  text: string,
  context: OttlContext = "span",
): { ok: true; condition: BoolExpr } | { ok: false; error: OttlSyntaxError } {
  try {
    return { ok: true, condition: parseCondition(text, context) };
  } catch (err) {
    if (err instanceof OttlSyntaxError) return { ok: false, error: err };
    throw err;
  }
}
