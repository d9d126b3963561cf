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
import { evaluateCondition, type OttlEnv, OttlRuntimeError } from "./evaluate.js";
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

/**
 * `evaluateCondition` for a processor that evaluates a condition on many records: an evaluation error
 * reads as `undefined` (the caller settles it as the collector's error_mode does) and is handed to
 * `onFirstError` once, so the report says it once rather than per record.
 */
export function conditionEvaluator(
  onFirstError: (err: OttlRuntimeError) => void,
): (expr: BoolExpr, env: OttlEnv) => boolean | undefined {
  let reported = false;
  return (expr, env) => {
    try {
      return evaluateCondition(expr, env);
    } catch (err) {
      if (!(err instanceof OttlRuntimeError)) throw err;
      if (!reported) {
        reported = true;
        onFirstError(err);
      }
      return undefined;
    }
  };
}
