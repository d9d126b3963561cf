import type { GoRegex } from "../go/regex.js";

/** The parsed form of the OTTL subset. */

export type OttlContext = "span" | "spanevent" | "resource";

/** A runtime value: OTLP attribute values plus nil. */
export type OttlValue = string | number | boolean | null | OttlValue[] | { [key: string]: OttlValue };

/** What a path reads or writes, already resolved against the statement's context. */
export type PathRef =
  | { kind: "attributes"; of: "span" | "spanevent" | "resource" | "scope"; keys: (string | number)[] }
  | { kind: "name"; of: "span" | "spanevent" | "scope" }
  | { kind: "kind" }
  | { kind: "status.code" }
  | { kind: "status.message" }
  | { kind: "scope.version" }
  | { kind: "id"; field: "traceId" | "spanId" | "parentSpanId" };

export type ValueExpr =
  | { type: "literal"; value: OttlValue; column: number; double?: true; int64?: true }
  | { type: "path"; path: PathRef; text: string; column: number }
  | { type: "call"; name: string; args: ValueExpr[]; column: number; regex?: GoRegex }
  | { type: "list"; items: ValueExpr[]; column: number };

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type BoolExpr =
  | { type: "or"; left: BoolExpr; right: BoolExpr }
  | { type: "and"; left: BoolExpr; right: BoolExpr }
  | { type: "not"; expr: BoolExpr }
  | { type: "compare"; op: CompareOp; left: ValueExpr; right: ValueExpr }
  | { type: "value"; expr: ValueExpr };

/** An editor invocation: `name(args) where condition`. */
export interface Statement {
  readonly editor: string;
  readonly args: ValueExpr[];
  readonly where?: BoolExpr;
  readonly column: number;
  readonly text: string;
}
