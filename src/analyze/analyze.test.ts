import { describe, expect, it } from "vitest";
import { parseLoggingConfig } from "../config/logging.js";
import { tailProbabilisticThreshold } from "../pipeline/index.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { analyzeConfig } from "./analyze.js";

const profile = (name: string) => BUILTIN_PROFILES[name]!;
const analyze = (yaml: string, name = "reconstructable") =>
  analyzeConfig(parseLoggingConfig(yaml), profile(name));

describe("analyzeConfig", () => {
  it("gives the hash_seed sampler's exact keep probability: uint32(float32(10) * 163.84) / 16384", () => {
    const a = analyze(`streams:
  - name: all
    match: { default: true }
    processors: [ { probabilistic_sampler: { sampling_percentage: 10, hash_seed: 22 } } ]`);
    // float32(10) * float32(163.84) = 1638.4000244140625 → 1638 buckets of 16384.
    for (const p of a.probabilities) expect([p.plain, p.failed]).toEqual([1638 / 16384, 1638 / 16384]);
    expect(a.gaps.filter((g) => g.cause === "sampling").map((g) => g.severity)).toContain("critical");
  });

  it("keeps failed runs whole under a status_code policy and samples the rest", () => {
    const a = analyze(`streams:
  - name: all
    match: { default: true }
    processors:
      - tail_sampling:
          policies:
            - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
            - { name: some, type: probabilistic, probabilistic: { sampling_percentage: 25 } }`);
    const tool = a.probabilities.find((p) => p.kind === "tool")!;
    expect(tool.failed).toBe(1);
    // kept iff FNV-1a-64(salt ‖ id) <= floor(MaxUint64 · 0.25): (threshold + 1) / 2^64 of all hashes.
    expect(tool.plain).toBe(Number(tailProbabilisticThreshold(0.25) + 1n) / 2 ** 64);
    expect(tool.denied).toBeNull();
  });

  it("lists a kind the stream's samplers keep in no class of run, at probability 0", () => {
    // A tail_sampling policy no representative span matches keeps nothing at any rate: the stream still
    // receives every kind, and each is kept with probability 0 (it used to list no kind at all).
    const a = analyze(`streams:
  - name: all
    match: { default: true }
    processors:
      - tail_sampling:
          policies: [ { name: vip, type: string_attribute, string_attribute: { key: customer.tier, values: [vip] } } ]`);
    expect(a.streams[0]!.kinds).toEqual(expect.arrayContaining(["llm", "tool", "agent", "policy"]));
    for (const p of a.probabilities) {
      expect([p.plain, p.failed], p.kind).toEqual([0, 0]);
      expect(p.denied === 0 || (p.kind === "tool" && p.denied === null), p.kind).toBe(true);
    }
  });

  it("reads probability 0 where a hash_seed sampler follows another, which refuses the rv the first wrote", () => {
    const a = analyze(`streams:
  - name: all
    match: { default: true }
    processors:
      - probabilistic_sampler: { sampling_percentage: 50, hash_seed: 22 }
      - probabilistic_sampler: { sampling_percentage: 100, hash_seed: 7 }`);
    expect(a.streams[0]!.kinds.length).toBe(4);
    for (const p of a.probabilities) expect([p.plain, p.failed], p.kind).toEqual([0, 0]);
    expect(new Set(a.gaps.map((g) => g.stage))).toEqual(new Set(["all/probabilistic_sampler[1]"]));
  });

  it("reports kinds that match no stream as routing gaps for every run", () => {
    const a = analyze("streams: [{ name: llm, match: { kind: [llm] } }]");
    expect(a.probabilities.map((p) => p.kind)).toEqual(["llm"]);
    expect(new Set(a.gaps.map((g) => `${g.cause}:${g.action.kind}.${g.fact}`))).toEqual(
      new Set(["routing:agent.record", "routing:tool.record", "routing:policy.record", "routing:llm.parent"]),
    );
    expect(a.gaps.every((g) => g.traceId === "*" && g.action.spanId === undefined)).toBe(true);
  });

  it("checks retention, the immediately-available window and integrity against the profile", () => {
    const a = analyze(
      "streams: [{ name: all, match: { default: true }, retention: 400d, available: 30d }]",
      "pci-dss-4",
    );
    expect(a.streams[0]).toMatchObject({
      retention: { configured: "400d", required: "12mo", ok: true },
      available: { configured: "30d", required: "3mo", ok: false },
      integrity: { configured: "none", required: "tamper-evident", ok: false },
    });
    expect(new Set(a.gaps.map((g) => g.cause))).toEqual(new Set(["integrity"]));
    const short = analyze("streams: [{ name: all, match: { default: true }, retention: 30d }]", "eu-ai-act");
    expect(short.streams[0]!.retention.ok).toBe(false);
    expect(new Set(short.gaps.map((g) => g.cause))).toEqual(new Set(["retention"]));
  });

  it("finds nothing in a config that keeps everything", () => {
    const a = analyze(
      "streams: [{ name: all, match: { default: true }, retention: 10y, integrity: merkle-checkpoints }]",
      "hipaa",
    );
    expect(a.gaps).toEqual([]);
    expect(
      a.probabilities.every((p) => [p.plain, p.failed, p.denied].every((x) => x === 1 || x === null)),
    ).toBe(true);
  });
});
