import { describe, expect, it } from "vitest";
import { span, TRACE_ID } from "../../testing/records.js";
import {
  evaluateCondition,
  OttlGrammarError,
  OttlPatternError,
  OttlRuntimeError,
  OttlSyntaxError,
  parseCondition,
  parseStatement,
  safeParseCondition,
} from "./index.js";

const record = span({
  name: "chat gpt-4o",
  spanKind: 3,
  status: { code: "error", message: "boom" },
  attributes: { "gen_ai.operation.name": "chat", tokens: 120, ratio: 0.5, ok: true, nested: { a: [1, 2] } },
  resource: { "service.name": "agent" },
  scope: { name: "openai", version: "1.0" },
  events: [{ name: "exception", time: "1", attributes: { "exception.type": "Timeout" } }],
});
const env = { record };
const holds = (text: string, context: "span" | "spanevent" | "resource" = "span") =>
  evaluateCondition(
    parseCondition(text, context),
    context === "spanevent" ? { record, event: record.events[0]! } : env,
  );

describe("OTTL int literals are int64 (grammar.go `Int *int64`)", () => {
  it("are exact beyond 2^53 and refused beyond int64, as the collector refuses the statement", () => {
    expect(() => parseCondition('attributes["n"] == 9223372036854775808', "span")).toThrow(OttlGrammarError);
    expect(() => parseCondition('attributes["n"] == -9223372036854775808', "span")).not.toThrow();
    // A literal beyond 2^53 against a plain number: compared as int64, not as the rounded double.
    const env = { record: span({ attributes: { n: 9007199254740992 } }) };
    expect(evaluateCondition(parseCondition('attributes["n"] == 9007199254740993', "span"), env)).toBe(false);
    expect(evaluateCondition(parseCondition('attributes["n"] == 9007199254740992', "span"), env)).toBe(true);
  });
});

describe("OTTL conditions", () => {
  it("reads span, resource and scope paths", () => {
    expect(holds('attributes["gen_ai.operation.name"] == "chat"')).toBe(true);
    expect(holds('span.attributes["gen_ai.operation.name"] != "chat"')).toBe(false);
    expect(holds('resource.attributes["service.name"] == "agent"')).toBe(true);
    expect(holds('name == "chat gpt-4o"')).toBe(true);
    expect(holds('instrumentation_scope.name == "openai"')).toBe(true);
    expect(holds('attributes["nested"]["a"][1] == 2')).toBe(true);
    expect(holds(`trace_id.string == "${TRACE_ID}"`)).toBe(true);
  });

  it("knows the kind and status enums", () => {
    expect(holds("kind == SPAN_KIND_CLIENT")).toBe(true);
    expect(holds("kind == 3")).toBe(true);
    expect(holds("status.code == STATUS_CODE_ERROR")).toBe(true);
    expect(holds("status.code != STATUS_CODE_OK and status.code > STATUS_CODE_UNSET")).toBe(true);
    expect(holds('status.message == "boom"')).toBe(true);
  });

  it("compares as OTTL does: nil, numbers across int and float, mismatched types", () => {
    expect(holds('attributes["missing"] == nil')).toBe(true);
    expect(holds('attributes["tokens"] != nil')).toBe(true);
    expect(holds('attributes["missing"] < 3')).toBe(false);
    expect(holds('attributes["tokens"] > 100.5')).toBe(true);
    expect(holds('attributes["ratio"] <= 0.5')).toBe(true);
    expect(holds('attributes["tokens"] == "120"')).toBe(false);
    expect(holds('attributes["tokens"] != "120"')).toBe(true);
    expect(holds('attributes["tokens"] > "1"')).toBe(false);
    expect(holds('attributes["ok"] == true')).toBe(true);
    expect(holds('"b" > "a"')).toBe(true);
  });

  it("combines with and, or, not and parentheses (and binds tighter than or)", () => {
    expect(holds("true or false and false")).toBe(true);
    expect(holds("(true or false) and false")).toBe(false);
    expect(holds('not attributes["ok"] == false')).toBe(true);
    expect(holds("not (kind == 3 or kind == 2)")).toBe(false);
  });

  it("evaluates converters", () => {
    expect(holds('IsMatch(name, "^chat ")')).toBe(true);
    expect(holds('IsMatch(attributes["tokens"], "^12")')).toBe(true);
    expect(holds('IsMatch(attributes["missing"], ".*")')).toBe(false);
    expect(holds('IsString(attributes["gen_ai.operation.name"]) and IsInt(attributes["tokens"])')).toBe(true);
    expect(
      holds('IsDouble(attributes["ratio"]) and IsBool(attributes["ok"]) and IsMap(attributes["nested"])'),
    ).toBe(true);
  });

  it("reads span events in the spanevent context", () => {
    expect(holds('name == "exception" and attributes["exception.type"] == "Timeout"', "spanevent")).toBe(
      true,
    );
    expect(holds('span.name == "chat gpt-4o"', "spanevent")).toBe(true);
    expect(holds('attributes["service.name"] == "agent"', "resource")).toBe(true);
  });

  it("refuses anything outside the subset, with the column", () => {
    const error = (text: string, context: "span" | "resource" = "span") => {
      const r = safeParseCondition(text, context);
      return r.ok ? "parsed" : r.error.message;
    };
    expect(error('Concat([name, "x"], "") == "a"')).toBe("column 1: unsupported function Concat");
    expect(error('attributes["a"] + 1 == 2')).toBe('column 17: unexpected character "+"');
    expect(error("kind == SPAN_KIND_WHATEVER")).toBe("column 9: unknown enum SPAN_KIND_WHATEVER");
    expect(error("end_time_unix_nano > 5")).toBe("column 1: unsupported path: end_time_unix_nano");
    expect(error('attributes["a"]')).toBe("column 16: expected a comparison operator");
    expect(error('name == "a" and')).toBe("column 16: expected a value, found end of input");
    expect(error('name == "x', "span")).toBe("column 9: unterminated string");
    expect(error('name == "x"', "resource")).toBe("column 1: unsupported path: name");
    expect(error('span.name == "x"', "resource")).toBe(
      "column 1: path not available in the resource context: span.name",
    );
    expect(error('spanevent.name == "x"')).toBe(
      "column 1: span event paths need the spanevent context: spanevent.name",
    );
    expect(error("attributes == nil")).toBe(
      "column 1: a whole attribute map is only accepted as a function argument: attributes",
    );
    expect(error('IsMatch(name, "(?i:x)")')).toBe("parsed");
    expect(() => parseCondition('IsMatch(name, "(?<!x)y")')).toThrow(OttlPatternError);
    expect(() => parseCondition("name == 0x01")).toThrow(OttlSyntaxError);
  });

  it("tells malformed OTTL (the collector refuses it) from OTTL outside the subset (unknown)", () => {
    const kind = (text: string) => {
      const r = safeParseCondition(text);
      return r.ok ? "parsed" : r.error instanceof OttlGrammarError ? "malformed" : "outside";
    };
    for (const text of [
      'name == "x',
      "name ==",
      '(name == "x"',
      'name == "x")',
      "a == [1, 2",
      "a ; b",
      'name == "x" ,',
      "name == 1 == 2",
    ]) {
      expect(kind(text), text).toBe("malformed");
    }
    for (const text of [
      'attributes["a"] + 1 == 2',
      'Split(name, ",")[0] == "a"',
      "kind == SPAN_KIND_X",
      "x",
    ]) {
      expect(kind(text), text).toBe("outside");
    }
  });

  it("fails at run time for a path the context does not have", () => {
    const cond = parseCondition('spanevent.name == "x"', "spanevent");
    expect(() => evaluateCondition(cond, env)).toThrow(OttlRuntimeError);
  });
});

describe("OTTL statements", () => {
  it("parses editors with map arguments and a where clause", () => {
    const s = parseStatement('delete_key(attributes, "secret") where name == "x"');
    expect(s.editor).toBe("delete_key");
    expect(s.args[0]).toMatchObject({ type: "path", path: { kind: "attributes", of: "span", keys: [] } });
    expect(s.where).toBeDefined();
    expect(parseStatement('keep_keys(resource.attributes, ["a", "b"])').args[1]).toMatchObject({
      type: "list",
    });
  });

  it("refuses editors outside the subset", () => {
    expect(() => parseStatement('merge_maps(attributes, attributes, "upsert")')).toThrow(
      "column 1: unsupported function merge_maps",
    );
    expect(() => parseStatement('set(attributes["a"], "b") when true')).toThrow(
      'column 27: unexpected "when"',
    );
  });
});
