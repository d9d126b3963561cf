import { describe, expect, it } from "vitest";
import { parseLoggingConfig } from "../config/logging.js";
import { deriveActions } from "../conventions/index.js";
import { sealRecords } from "../integrity/seal-records.js";
import type { FactName } from "../model/action.js";
import type { SpanRecord } from "../model/record.js";
import { NS_PER_DAY } from "../model/time.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { span, without } from "../testing/records.js";
import { FIXTURE_RUNS } from "../testing/runs.js";
import { checkRecords } from "./check.js";
import { compareRun, requiredFacts } from "./compare.js";

const reconstructable = BUILTIN_PROFILES.reconstructable!;
const PASS_THROUGH = parseLoggingConfig("streams: [{ name: all, match: { default: true } }]");
/** Facts read from the record's own fields rather than attributes. */
const RECORD_FIELDS = new Set(["spanId", "traceId", "parentSpanId", "status"]);

function gapsOf(
  records: SpanRecord[],
  yaml = "streams: [{ name: all, match: { default: true } }]",
  options = {},
) {
  const config = parseLoggingConfig(yaml);
  const { verdicts } = checkRecords(
    records,
    config,
    { ...reconstructable, ...options },
    { auditAfterNs: 0n },
  );
  return verdicts.flatMap((v) => v.gaps);
}

describe("checkRecords on fully recorded runs", () => {
  it.each(FIXTURE_RUNS.map((make) => [make().convention, make] as const))(
    "a pass-through config keeps every fact of a %s run",
    (_convention, make) => {
      const { verdicts } = checkRecords(make().records, PASS_THROUGH, reconstructable, { auditAfterNs: 0n });
      expect(verdicts.map((v) => v.gaps)).toEqual([[]]);
      expect(verdicts[0]!.reconstructable).toBe(true);
    },
  );
});

/** Every (run, record, attribute key) that holds a required fact, for each convention. */
const DROPS = FIXTURE_RUNS.flatMap((make) => {
  const { convention, records } = make();
  return deriveActions(records).flatMap((action) =>
    requiredFacts(action, reconstructable).flatMap((fact) => {
      const key = action.sources[fact];
      return key && !RECORD_FIELDS.has(key) && action.spanId
        ? [{ convention, make, spanId: action.spanId, fact, key }]
        : [];
    }),
  );
});

describe("dropping a single required fact", () => {
  it("covers every convention", () => {
    expect(new Set(DROPS.map((d) => d.convention)).size).toBe(FIXTURE_RUNS.length);
  });

  it.each(DROPS.map((d) => [d.convention, d.fact, d.key, d] as const))(
    "%s: %s ('%s') missing at the source is an instrumentation gap",
    (_c, fact, key, d) => {
      const records = d.make().records.map((r) => (r.spanId === d.spanId ? without(r, key) : r));
      const still = deriveActions(records).find((a) => a.spanId === d.spanId)?.facts[fact as FactName];
      const gaps = gapsOf(records);
      if (still !== undefined) return; // another key of the same convention still carries it
      expect(gaps).toContainEqual(
        expect.objectContaining({ cause: "instrumentation", fact, stage: "instrumentation" }),
      );
    },
  );

  it.each(DROPS.map((d) => [d.convention, d.fact, d.key, d] as const))(
    "%s: %s ('%s') deleted by an attributes processor is a redaction gap at that stage",
    (_c, fact, key, d) => {
      const yaml = `streams:
  - name: all
    match: { default: true }
    processors:
      - attributes: { actions: [ { key: ${JSON.stringify(key)}, action: delete } ] }`;
      const records = d.make().records;
      const after = records.map((r) => without(r, key));
      const still = deriveActions(after).find((a) => a.spanId === d.spanId)?.facts[fact as FactName];
      if (still !== undefined) return;
      expect(gapsOf(records, yaml)).toContainEqual(
        expect.objectContaining({
          cause: "redaction",
          fact,
          stage: "all/attributes[0]",
          action: expect.objectContaining({ spanId: d.spanId }),
        }),
      );
    },
  );
});

const agent = span({
  id: 1,
  name: "invoke_agent a",
  attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a" },
});
const tool = span({
  id: 2,
  parent: 1,
  name: "execute_tool refund",
  attributes: {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "refund",
    "gen_ai.tool.call.id": "c1",
    "gen_ai.tool.call.arguments": '{"card":"4111111111111111"}',
    "gen_ai.tool.call.result": "ok",
  },
});
const policy = span({
  id: 3,
  parent: 2,
  name: "policy limit",
  attributes: {
    "trailcheck.kind": "policy",
    "policy.name": "limit",
    "policy.decision": "allow",
    "policy.reason": "under limit",
    "policy.subject": "0000000000000002",
  },
});
const RUN = [agent, tool, policy];

describe("the attribute a layer is recognised by", () => {
  // classify.ts CLASSIFICATION: what makes a span an agent, LLM, tool or policy span in each convention.
  const KEYS = "gen_ai.operation.name|ai.operationId|openinference.span.kind|span_data.type|trailcheck.kind";
  const deleting = `streams:
  - name: all
    match: { default: true }
    processors:
      - attributes: { actions: [ { action: delete, pattern: '^(${KEYS.replaceAll(".", "\\.")})$' } ] }`;

  it.each(FIXTURE_RUNS.map((make) => [make().convention, make] as const))(
    "deleted from a %s run, leaves no action an auditor can find: a gap for each, where the run passed",
    (_convention, make) => {
      const { records } = make();
      const withRecord = deriveActions(records).filter((a) => a.hasRecord);
      expect(withRecord.length).toBeGreaterThan(0);
      const gaps = gapsOf(records, deleting).filter((g) => g.fact === "record");
      expect(gaps.map((g) => g.action.spanId).sort()).toEqual(withRecord.map((a) => a.spanId).sort());
      for (const g of gaps) {
        expect(g.cause).toBe("redaction");
        expect(g.stage).toBe("all/attributes[0]");
        expect(g.message).toMatch(/is stored, but '[^']+' was deleted, so the store holds no \w+ span there/);
      }
    },
  );

  it("is unchanged for records that name their layer outside their attributes", () => {
    // A trailcheck JSONL record may carry its kind with no classifying attribute: deleting other
    // attributes leaves it the action it was.
    const tool = span({ kind: "tool", convention: "native", attributes: { note: "x" } });
    expect(
      gapsOf(
        [tool],
        "streams: [{ name: all, match: { default: true }, processors: [ { attributes: { actions: [ { key: note, action: delete } ] } } ] }]",
      ).filter((g) => g.fact === "record"),
    ).toEqual([]);
  });
});

describe("a key that marks a layer, set where the span carried none", () => {
  // classify.ts reads trailcheck.kind before every other convention's marker: set on a span that was an
  // agent, LLM or tool span of another convention, it makes the stored span read as what it says.
  const inserting = (action: string) => `streams:
  - name: all
    match: { default: true }
    processors:
      - attributes: { actions: [ { key: trailcheck.kind, action: ${action}, value: other } ] }`;

  it.each(
    FIXTURE_RUNS.filter((make) => make().convention !== "native").map(
      (make) => [make().convention, make] as const,
    ),
  )(
    "over a %s run's actions, leaves none an auditor can find: a gap for each, where the run passed",
    (_c, make) => {
      const { records } = make();
      const withRecord = deriveActions(records).filter((a) => a.hasRecord);
      expect(withRecord.length).toBeGreaterThan(0);
      for (const action of ["insert", "upsert"]) {
        const gaps = gapsOf(records, inserting(action)).filter((g) => g.fact === "record");
        expect(gaps.map((g) => g.action.spanId).sort()).toEqual(withRecord.map((a) => a.spanId).sort());
        for (const g of gaps) {
          expect(g.stage).toBe("all/attributes[0]");
          expect(g.message).toMatch(
            /is stored, but 'trailcheck\.kind' was inserted, so the store holds (no \w+|an? \w+) span there/,
          );
          expect(g.hint).toMatch(/don't set 'trailcheck\.kind' on spans that already say what they are/);
        }
      }
    },
  );

  it("through a transform set() too", () => {
    const { records } = FIXTURE_RUNS[0]!();
    const gaps = gapsOf(
      records,
      `streams: [{ name: all, match: { default: true }, processors: [ { transform: { trace_statements: ['set(attributes["trailcheck.kind"], "other")'] } } ] }]`,
    ).filter((g) => g.fact === "record");
    expect(gaps.length).toBe(deriveActions(records).filter((a) => a.hasRecord).length);
  });

  it("is no gap where it leaves the layer as it was, or marks a span that was no action", () => {
    // gen_ai.operation.name comes last: an AI SDK span keeps the layer its ai.operationId gives.
    const aiSdk = FIXTURE_RUNS.find((make) => make().convention === "ai-sdk")!().records;
    const genai =
      "streams: [{ name: all, match: { default: true }, processors: [ { attributes: { actions: [ { key: gen_ai.operation.name, action: insert, value: chat } ] } } ] }]";
    expect(gapsOf(aiSdk, genai)).toEqual([]);
    // An enrichment that marks an unmarked span: every fact it held is still there.
    const unmarked = span({ attributes: { "llm.request.model": "gpt-4o" } });
    expect(gapsOf([unmarked], genai)).toEqual([]);
  });
});

describe("a run with no span trailcheck reads as an action", () => {
  // An OpenLLMetry-style trace: no gen_ai.operation.name, ai.operationId, openinference.span.kind …
  const unread = () => [
    span({ id: 1, name: "agent.workflow", attributes: { "traceloop.span.kind": "workflow" } }),
    span({ id: 2, parent: 1, name: "openai.chat", attributes: { "llm.request.type": "chat" } }),
  ];

  it("is not judged reconstructable when the pipeline lost its spans (before: reconstructable)", () => {
    const gaps = gapsOf(
      unread(),
      `streams: [{ name: all, match: { default: true }, processors: [ { filter: { traces: { span: ['name != ""'] } } } ] }]`,
    );
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ fact: "record", cause: "filter", stage: "all/filter[0]" });
    expect(gaps[0]!.message).toMatch(/^no span of this run is an agent, LLM, tool, policy or handoff span/);
    expect(gaps[0]!.message).toMatch(/lost or changed 2 of its 2 span\(s\)/);
  });

  it("is reconstructable when every span is stored as emitted", () => {
    expect(gapsOf(unread())).toEqual([]);
  });
});

describe("cause attribution", () => {
  it("masking a value is accepted only where the profile allows it masked", () => {
    const yaml = `streams:
  - name: all
    match: { default: true }
    processors: [ { redaction: { allow_all_keys: true, blocked_values: ['4111\\d{12}'] } } ]`;
    expect(gapsOf(RUN, yaml)).toMatchObject([
      { cause: "redaction", fact: "arguments", stage: "all/redaction[0]", severity: "high" },
    ]);
    expect(gapsOf(RUN, yaml, { maskable: { tool: ["arguments"] } })).toEqual([]);
  });

  it("a filtered parent orphans its children, with the filter as the cause", () => {
    const yaml = `streams:
  - name: all
    match: { default: true }
    processors: [ { filter: { traces: { span: ['name == "execute_tool refund"'] } } } ]`;
    const gaps = gapsOf(RUN, yaml);
    expect(gaps.map((g) => [g.cause, g.fact, g.action.name])).toEqual([
      ["filter", "record", "refund"],
      ["filter", "parent", "limit"],
    ]);
  });

  it("a store without parent ids loses the parent links as correlation", () => {
    const gaps = gapsOf(
      RUN,
      "streams: [{ name: all, match: { default: true }, correlation: [traceId, spanId] }]",
    );
    expect(gaps.map((g) => [g.cause, g.fact])).toEqual([
      ["correlation", "parent"],
      ["correlation", "parent"],
    ]);
  });

  it("a store without trace ids can't join its records to the run", () => {
    const yaml = `streams:
  - { name: main, match: { kind: [agent, tool] } }
  - { name: audit, match: { kind: [policy] }, correlation: [] }`;
    expect(gapsOf(RUN, yaml)).toMatchObject([
      {
        cause: "correlation",
        fact: "traceId",
        stage: "audit/store",
        severity: "critical",
        action: { kind: "policy" },
      },
    ]);
  });

  it("retention counts from each run to the audit", () => {
    const config = parseLoggingConfig("streams: [{ name: all, match: { default: true }, retention: 30d }]");
    const at = (days: bigint) =>
      checkRecords(RUN, config, reconstructable, { auditAfterNs: days * NS_PER_DAY }).verdicts[0]!.gaps;
    expect(at(29n)).toEqual([]);
    expect(at(31n).map((g) => [g.cause, g.fact, g.stage])).toEqual([
      ["retention", "record", "all/store"],
      ["retention", "record", "all/store"],
      ["retention", "record", "all/store"],
    ]);
  });

  it("records archived at audit time are gaps where the profile needs them immediately available", () => {
    const pci = BUILTIN_PROFILES["pci-dss-4"]!; // three months immediately available
    const archived = (yaml: string, days: bigint) =>
      checkRecords(RUN, parseLoggingConfig(yaml), pci, { auditAfterNs: days * NS_PER_DAY })
        .verdicts[0]!.gaps.filter((g) => g.cause === "retention")
        .map((g) => [g.fact, g.stage, g.action.name]);
    const hotForADay =
      "streams: [{ name: all, match: { default: true }, integrity: merkle-checkpoints, retention: 400d, available: 1d }]";
    const all = [
      ["record", "all/store", "a"],
      ["record", "all/store", "refund"],
      ["record", "all/store", "limit"],
    ];
    expect(archived(hotForADay, 0n)).toEqual([]);
    // A run the pipeline lost nothing of, then one with losses (the policy's store keeps no linkage
    // fields): the comparison takes a different way for each.
    expect(archived(hotForADay, 2n)).toEqual(all);
    const splitStores = `streams:
  - { name: all, match: { kind: [agent, tool] }, integrity: merkle-checkpoints, retention: 400d, available: 1d }
  - { name: audit, match: { kind: [policy] }, integrity: merkle-checkpoints, retention: 400d, available: 1d, correlation: [] }`;
    expect(archived(splitStores, 2n)).toEqual([...all.slice(0, 2), ["record", "audit/store", "limit"]]);
  });

  it("a profile that requires tamper evidence reports stores without it", () => {
    const pci = BUILTIN_PROFILES["pci-dss-4"]!;
    const check = (integrity: string) =>
      checkRecords(
        RUN,
        parseLoggingConfig(`streams: [{ name: all, match: { default: true }, integrity: ${integrity} }]`),
        pci,
        {
          auditAfterNs: 0n,
        },
      ).verdicts[0]!.gaps;
    expect(check("none").map((g) => g.cause)).toEqual(["integrity"]);
    expect(check("hash-chain")[0]!.message).toMatch(/never detects a cut tail/);
    expect(check("merkle-checkpoints")).toEqual([]);
  });

  it("a span whose parent never arrived is an orphan lost in export", () => {
    expect(gapsOf([tool, policy])).toMatchObject([
      { cause: "export", fact: "parent", stage: "export", action: { name: "refund" } },
    ]);
  });

  it("a record that matches no stream is lost to routing", () => {
    expect(
      gapsOf(RUN, "streams: [{ name: tools, match: { kind: [tool] } }]").map((g) => [
        g.cause,
        g.fact,
        g.action.kind,
      ]),
    ).toEqual([
      ["routing", "record", "agent"],
      ["routing", "parent", "tool"],
      ["routing", "record", "policy"],
    ]);
  });

  it("a failed run's lost records are critical", () => {
    const failed = [agent, { ...tool, status: { code: "error" as const, message: "boom" } }, policy];
    const yaml = `streams:
  - name: all
    match: { default: true }
    processors: [ { probabilistic_sampler: { sampling_percentage: 0 } } ]`;
    expect(new Set(gapsOf(failed, yaml).map((g) => `${g.cause}/${g.severity}`))).toEqual(
      new Set(["sampling/critical"]),
    );
  });
});

describe("sealed streams", () => {
  it("seals a merkle-checkpoints stream with the integrity code and verifies it at audit time", () => {
    const config = parseLoggingConfig(
      "streams: [{ name: all, match: { default: true }, integrity: merkle-checkpoints }]",
    );
    const { view, verdicts } = checkRecords(RUN, config, BUILTIN_PROFILES["pci-dss-4"]!, {
      auditAfterNs: 0n,
    });
    const lines = view.stored.map((s) => JSON.stringify(s.record));
    expect(view.streams[0]!.sealed).toEqual({ ...sealRecordsSummary(lines), valid: true, findings: [] });
    expect(verdicts[0]!.gaps).toEqual([]);
  });

  it("reports a sealed stream that fails verification as an integrity gap, whatever the profile", () => {
    const config = parseLoggingConfig(
      "streams: [{ name: all, match: { default: true }, integrity: merkle-checkpoints }]",
    );
    const { view } = checkRecords(RUN, config, reconstructable, { auditAfterNs: 0n });
    const tampered = {
      ...view,
      streams: view.streams.map((s) => ({
        ...s,
        sealed: { ...s.sealed!, valid: false, findings: ["record 1 modified"] },
      })),
    };
    const { gaps } = compareRun(RUN, tampered, reconstructable, 0n);
    expect(gaps).toMatchObject([{ cause: "integrity", fact: "integrity", stage: "all/store" }]);
    expect(gaps[0]!.message).toMatch(/fails verification: record 1 modified/);
  });
});

function sealRecordsSummary(lines: string[]) {
  const { size, root } = sealRecords(lines);
  return { size, root };
}

describe("failed calls", () => {
  it("don't owe the output or result they never produced, only their error", () => {
    const llm = span({
      id: 4,
      parent: 1,
      name: "chat gpt-4o",
      status: { code: "error", message: "rate limited", errorType: "429" },
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.input.messages": "[]",
      },
    });
    expect(gapsOf([agent, llm])).toEqual([]);
    const ok = { ...llm, status: { code: "unset" as const } };
    expect(gapsOf([agent, ok]).map((g) => [g.cause, g.fact])).toEqual([["instrumentation", "output"]]);
  });
});
