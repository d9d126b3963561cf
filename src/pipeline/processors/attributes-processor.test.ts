import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { oneStream } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";
import { sha256Attribute } from "./attributes-processor.js";

const run = (settings: Record<string, unknown>, records = [span()]) =>
  simulate(records, oneStream([{ attributes: settings }]), { auditAfterNs: 0n });

describe("attributes processor (attraction.go)", () => {
  it("hashes with SHA-256 hex as hasher.go does", () => {
    expect(sha256Attribute("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // ints as 8 little-endian bytes: 1 → 01 00 00 00 00 00 00 00
    expect(sha256Attribute(1)).toBe(
      createHash("sha256")
        .update(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0))
        .digest("hex"),
    );
    expect(sha256Attribute(true)).toBe(createHash("sha256").update(Uint8Array.of(1)).digest("hex"));
    expect(sha256Attribute({ a: 1 })).toBe("");
  });

  it("applies insert, update, upsert, delete (key and pattern), hash, extract and convert in order", () => {
    const r = span({
      attributes: {
        "user.email": "abc",
        "db.statement": "select",
        "http.url": "https://x/y?id=42",
        keep: "k",
        n: "12",
        "tmp.a": 1,
        "tmp.b": 2,
      },
    });
    const view = run(
      {
        actions: [
          { key: "env", action: "insert", value: "prod" },
          { key: "keep", action: "insert", value: "ignored" },
          { key: "missing", action: "update", value: "x" },
          { key: "keep", action: "upsert", value: "changed" },
          { key: "db.statement", action: "delete" },
          { pattern: "^tmp\\.", action: "delete" },
          { key: "user.email", action: "hash" },
          { key: "http.url", action: "extract", pattern: "id=(?P<record_id>\\d+)" },
          { key: "n", action: "convert", converted_type: "int" },
        ],
      },
      [r],
    );
    expect(view.stored[0]!.record.attributes).toEqual({
      "user.email": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "http.url": "https://x/y?id=42",
      keep: "changed",
      n: 12,
      env: "prod",
      record_id: "42",
    });
    expect(
      view.losses.map((l) =>
        l.target.type === "attribute" ? `${l.target.key}:${l.target.effect}:${l.cause}` : "",
      ),
    ).toEqual([
      "keep:changed:redaction",
      "db.statement:deleted:redaction",
      "tmp.a:deleted:redaction",
      "tmp.b:deleted:redaction",
      "user.email:hashed:redaction",
      "n:changed:redaction",
    ]);
  });

  it("acts only on spans matching include and not exclude", () => {
    const a = span({ name: "chat", attributes: { secret: "s" }, resource: { "service.name": "agent" } });
    const b = span({ name: "tool", attributes: { secret: "s" }, resource: { "service.name": "agent" } });
    const c = span({ name: "chat", attributes: { secret: "s" }, resource: { "service.name": "other" } });
    const view = run(
      {
        include: { match_type: "regexp", services: ["^ag"] },
        exclude: { match_type: "strict", span_names: ["tool"] },
        actions: [{ key: "secret", action: "delete" }],
      },
      [a, b, c],
    );
    expect(view.losses.map((l) => l.spanId)).toEqual([a.spanId]);
  });

  it("rejects what the collector rejects", () => {
    expect(() => run({ actions: [{ action: "delete" }] })).toThrow(/at least one of "key" and "pattern"/);
    expect(() => run({ actions: [{ key: "a", action: "extract", pattern: "\\d+" }] })).toThrow(
      /no named groups/,
    );
    expect(() => run({ actions: [{ key: "a", action: "extract", pattern: "(?P<n>\\d+)-(\\d+)" }] })).toThrow(
      /at least one unnamed group/,
    );
    expect(() => run({ actions: [{ key: "a", action: "delete", pattern: "(?<=a)b" }] })).toThrow(
      /invalid regular expression.*no lookahead or lookbehind/,
    );
  });
});
