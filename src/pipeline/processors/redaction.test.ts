import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { oneStream } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";

const run = (settings: Record<string, unknown>, record = span()) =>
  simulate([record], oneStream([{ redaction: settings }]), { auditAfterNs: 0n });

describe("redaction (processor.go)", () => {
  const record = span({
    attributes: {
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.tool.call.arguments": '{"card":"4111111111111111"}',
      "user.email": "a@b.c",
      "session.token": "abc",
      count: 3,
    },
    resource: { "service.name": "agent", "host.name": "h1" },
    events: [{ name: "e", time: "1", attributes: { note: "x" } }],
  });

  it("deletes keys not allowed, masks blocked values, keeps ignored keys, and summarises (debug)", () => {
    const view = run(
      {
        allowed_keys: [
          "gen_ai.request.model",
          "gen_ai.tool.call.arguments",
          "session.token",
          "count",
          "service.name",
        ],
        ignored_keys: ["user.email"],
        blocked_key_patterns: ["token"],
        blocked_values: ["\\b\\d{16}\\b"],
      },
      record,
    );
    const stored = view.stored[0]!.record;
    expect(stored.attributes).toEqual({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.tool.call.arguments": '{"card":"****"}',
      "user.email": "a@b.c",
      "session.token": "****",
      count: 3,
      "redaction.masked.keys": "gen_ai.tool.call.arguments,session.token",
      "redaction.masked.count": 2,
      "redaction.ignored.count": 1,
    });
    expect(stored.resource).toEqual({
      "service.name": "agent",
      "redaction.redacted.keys": "host.name",
      "redaction.redacted.count": 1,
    });
    expect(stored.events[0]!.attributes).toEqual({
      "redaction.redacted.keys": "note",
      "redaction.redacted.count": 1,
    });
    expect(view.losses.map((l) => [l.target, l.cause])).toEqual([
      [{ type: "attribute", key: "resource:host.name", effect: "deleted" }, "redaction"],
      [{ type: "attribute", key: "gen_ai.tool.call.arguments", effect: "masked" }, "redaction"],
      [{ type: "attribute", key: "session.token", effect: "masked" }, "redaction"],
      [{ type: "attribute", key: "event[0]:note", effect: "deleted" }, "redaction"],
    ]);
    // the truth record is untouched
    expect(record.attributes["session.token"]).toBe("abc");
  });

  it("with an empty allow-list and allow_all_keys false deletes every attribute", () => {
    const view = run({ summary: "info" }, record);
    expect(view.stored[0]!.record.attributes).toEqual({ "redaction.redacted.count": 5 });
    expect(
      view.losses.filter((l) => l.target.type === "attribute" && l.target.effect === "deleted"),
    ).toHaveLength(5 + 2 + 1);
    expect(view.losses[0]!.detail).toBe(
      "allowed_keys is empty and allow_all_keys is false: every attribute is deleted",
    );
  });

  it("masks a whole value once for .* (Go skips the empty match after a match) and leaves allowed values", () => {
    const view = run(
      { allow_all_keys: true, blocked_values: ["4111"], allowed_values: ["^gpt-"], summary: "silent" },
      span({ attributes: { a: "4111-4111", model: "gpt-4111" } }),
    );
    expect(view.stored[0]!.record.attributes).toEqual({ a: "****-****", model: "gpt-4111" });
    const keyMasked = run(
      { allow_all_keys: true, blocked_key_patterns: [".*"], summary: "silent" },
      span({ attributes: { k: "secret", n: 5 } }),
    );
    expect(keyMasked.stored[0]!.record.attributes).toEqual({ k: "****", n: "****" });
  });

  it("hashes the matched text with hash_function", () => {
    const view = run(
      { allow_all_keys: true, blocked_values: ["\\d{4}"], hash_function: "md5", summary: "silent" },
      span({ attributes: { pin: "pin 1234" } }),
    );
    expect(view.stored[0]!.record.attributes["pin"]).toBe(
      `pin ${createHash("md5").update("1234").digest("hex")}`,
    );
    expect(view.losses[0]!.target).toEqual({ type: "attribute", key: "pin", effect: "hashed" });
  });
});

describe("patterns from a careless or hostile config", () => {
  const hostile = `${"a".repeat(40)}!`;
  const record = span({ name: hostile, attributes: { note: hostile, other: "aaa" } });

  it("redaction with ^(a+)+$ returns (Go's RE2 is linear) and masks only what matches", () => {
    const view = run({ allow_all_keys: true, blocked_values: ["^(a+)+$"] }, record);
    expect(view.stored[0]!.record.attributes).toMatchObject({ note: hostile, other: "****" });
  });

  it("filter and transform with IsMatch(…, ^(a+)+$) return too", () => {
    const filtered = simulate(
      [record],
      oneStream([{ filter: { traces: { span: ['IsMatch(attributes["note"], "^(a+)+$")'] } } }]),
      { auditAfterNs: 0n },
    );
    expect(filtered.stored).toHaveLength(1);
    const transformed = simulate(
      [record],
      oneStream([
        {
          transform: {
            trace_statements: [
              'replace_pattern(attributes["note"], "^(a+)+$", "x") where IsMatch(name, "(a|aa)+$")',
            ],
          },
        },
      ]),
      { auditAfterNs: 0n },
    );
    expect(transformed.stored[0]!.record.attributes["note"]).toBe(hostile);
  });
});

describe("redaction: redact_all_types and ignored_key_patterns (processor.go processAttrs)", () => {
  const record = span({
    attributes: {
      "card.number": 4111111111111111,
      "order.total": 40.5,
      "debug.raw": "4111111111111111",
      note: "ok",
    },
  });
  const card = "\\b4\\d{15}\\b";

  it('without redact_all_types a number reads as "" and is never masked by blocked_values', () => {
    // processAttrs: strVal := value.Str(), which is "" for a number, so nothing matches.
    const view = run({ allow_all_keys: true, blocked_values: [card] }, record);
    expect(view.stored[0]!.record.attributes["card.number"]).toBe(4111111111111111);
    expect(view.losses.map((l) => l.target)).toEqual([
      { type: "attribute", key: "debug.raw", effect: "masked" },
    ]);
  });

  it("with redact_all_types a number is read as its text and masked as a string", () => {
    // TestRedactAllTypesTrue: the int 4111111111111111 is masked; processAttrs reads value.AsString().
    const view = run(
      { allow_all_keys: true, redact_all_types: true, blocked_values: [card, "\\.5$"] },
      record,
    );
    const attrs = view.stored[0]!.record.attributes;
    expect(attrs["card.number"]).toBe("****");
    expect(attrs["order.total"]).toBe("40****");
    expect(attrs.note).toBe("ok");
  });

  it("keys matching ignored_key_patterns pass untouched, like ignored_keys", () => {
    const view = run(
      {
        allowed_keys: ["note"],
        ignored_key_patterns: ["^debug\\."],
        blocked_values: [card],
        summary: "info",
      },
      record,
    );
    const attrs = view.stored[0]!.record.attributes;
    expect(attrs["debug.raw"]).toBe("4111111111111111");
    expect(attrs["card.number"]).toBeUndefined();
    expect(attrs["redaction.ignored.count"]).toBe(1);
  });
});
