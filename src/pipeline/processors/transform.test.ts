import { describe, expect, it } from "vitest";
import { oneStream } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";

const run = (settings: Record<string, unknown>, records = [span()]) =>
  simulate(records, oneStream([{ transform: settings }]), { auditAfterNs: 0n });
const effects = (view: ReturnType<typeof simulate>) =>
  view.losses.map((l) =>
    l.target.type === "attribute" ? `${l.target.key}:${l.target.effect}:${l.cause}` : l.target.type,
  );

describe("transform processor", () => {
  it("truncate_all cuts string values to N bytes, backing up to a character boundary", () => {
    const r = span({ attributes: { prompt: "abcdefghij", short: "abc", n: 12345678901, emoji: "héllo" } });
    const view = run(
      { trace_statements: [{ context: "span", statements: ["truncate_all(attributes, 4)"] }] },
      [r],
    );
    // "héllo" is h(1) é(2) l l o: 4 bytes end inside nothing → "hél" is 4 bytes exactly
    expect(view.stored[0]!.record.attributes).toEqual({
      prompt: "abcd",
      short: "abc",
      n: 12345678901,
      emoji: "hél",
    });
    expect(effects(view)).toEqual(["prompt:truncated:truncation", "emoji:truncated:truncation"]);
    const cut = run({ trace_statements: ["truncate_all(attributes, 2)"] }, [
      span({ attributes: { e: "hé" } }),
    ]);
    // h(1) + é(2) = 3 bytes > 2; byte 2 is inside é → back up to 1 byte
    expect(cut.stored[0]!.record.attributes["e"]).toBe("h");
  });

  it("deletes, keeps, limits, replaces and sets, with where clauses", () => {
    const r = span({
      name: "chat",
      attributes: { a: "1", b: "card 4111-1111", "secret.x": "s", "secret.y": "t", c: "3", d: "4" },
      resource: { "service.name": "agent", "k8s.pod": "p" },
    });
    const view = run(
      {
        trace_statements: [
          {
            context: "span",
            statements: [
              'delete_key(attributes, "a") where name == "chat"',
              'delete_key(attributes, "c") where name == "other"',
              'delete_matching_keys(attributes, "^secret\\\\.")',
              'replace_pattern(attributes["b"], "(\\\\d{4})-(\\\\d{4})", "$1-****")',
              'set(attributes["d"], "four")',
              'set(attributes["new"], name)',
              'limit(attributes, 3, ["new"])',
            ],
          },
          { context: "resource", statements: ['keep_keys(attributes, ["service.name"])'] },
        ],
      },
      [r],
    );
    expect(view.stored[0]!.record.attributes).toEqual({ b: "card 4111-****", c: "3", new: "chat" });
    expect(view.stored[0]!.record.resource).toEqual({ "service.name": "agent" });
    expect(effects(view)).toEqual([
      "a:deleted:redaction",
      "secret.x:deleted:redaction",
      "secret.y:deleted:redaction",
      "b:masked:redaction",
      "d:changed:redaction",
      "d:deleted:redaction",
      "resource:k8s.pod:deleted:redaction",
    ]);
  });

  it("replace_all_patterns on keys renames them (the old key is lost)", () => {
    const view = run(
      { trace_statements: ['replace_all_patterns(attributes, "key", "^gen_ai\\\\.", "llm.")'] },
      [span({ attributes: { "gen_ai.x": 1, y: 2 } })],
    );
    expect(view.stored[0]!.record.attributes).toEqual({ y: 2, "llm.x": 1 });
    expect(effects(view)).toEqual(["gen_ai.x:deleted:redaction"]);
  });

  it("runs a group's statements only when one of its conditions holds", () => {
    const settings = {
      trace_statements: [
        { context: "span", conditions: ['name == "tool"'], statements: ['delete_key(attributes, "x")'] },
      ],
    };
    expect(run(settings, [span({ name: "chat", attributes: { x: 1 } })]).losses).toHaveLength(0);
    expect(run(settings, [span({ name: "tool", attributes: { x: 1 } })]).losses).toHaveLength(1);
  });

  it("reports statements outside the subset with their text and location", () => {
    const view = run({
      trace_statements: [
        {
          context: "span",
          statements: [
            'merge_maps(attributes, resource.attributes, "upsert")',
            "set(status.code, 1)",
            'replace_pattern(attributes["a"], "x", "y", SHA256)',
          ],
        },
        { context: "spanevent", statements: ['set(attributes["a"], "b")'] },
      ],
    });
    expect(view.unknown.map((u) => `${u.construct} → ${u.message}`)).toEqual([
      'transform.trace_statements[0].statements[0]: merge_maps(attributes, resource.attributes, "upsert") → column 1: unsupported function merge_maps; the statement is not applied; its effect is unknown',
      "transform.trace_statements[0].statements[1]: set(status.code, 1) → set: setting status.code is not modelled; the statement is not applied, its effect is unknown",
      'transform.trace_statements[0].statements[2]: replace_pattern(attributes["a"], "x", "y", SHA256) → column 44: unknown enum SHA256; the statement is not applied; its effect is unknown',
      'transform.trace_statements[1]: set(attributes["a"], "b") → statements in the spanevent context are not modelled; their effect is unknown',
    ]);
  });
});
