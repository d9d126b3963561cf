import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runIncidentAdd, runIncidentList, runIncidentShow } from "../cli/incident.js";
import { InputError } from "../errors.js";
import { serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import { resolveProject } from "../project/project.js";
import { replaySkipReason } from "../replay/from-incident.js";
import { matchers } from "../testing/matchers.js";
import { span } from "../testing/records.js";
import { checkIncident, type IncidentContext, loadIncidentContext } from "./check.js";
import { discoverIncidents, loadIncident } from "./load.js";
import type { WriteHooks } from "./write.js";

expect.extend(matchers);

const root = join(import.meta.dirname, "..", "..");
const traces = join(root, "examples", "traces");
let current: IncidentContext;

beforeAll(async () => {
  current = await loadIncidentContext(await resolveProject({ cwd: root, env: {} }));
});

async function tempProject(): Promise<string> {
  return mkdtemp(join(tmpdir(), "trailcheck-add-"));
}

function capture(cwd: string, hooks?: WriteHooks) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      cwd,
      out: (s: string) => out.push(s),
      err: (s: string) => err.push(s),
      today: () => "2026-02-01",
      hooks,
    },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** What the suite does with each incident: discover, load, check against the current config. */
async function asTheSuiteRunsIt(dir: string) {
  const entries = await discoverIncidents(dir);
  return Promise.all(
    entries.map(async (entry) => {
      const loaded = await loadIncident(entry.file);
      return { entry, loaded, result: await checkIncident(loaded, current) };
    }),
  );
}

interface OtlpAttr {
  key: string;
  value: { stringValue?: string };
}
interface OtlpSpan {
  startTimeUnixNano: string;
  attributes: OtlpAttr[];
  events?: unknown[];
}
/** The AI SDK example export as OTLP JSON, with the user's complaint extended by `more`. */
async function exampleOtlp(more: string): Promise<{
  resourceSpans: { resource: { attributes: OtlpAttr[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}> {
  const text = await readFile(join(traces, "ai-sdk-v6.otlp.json"), "utf8");
  return JSON.parse(
    text.replaceAll("the headphones arrived broken.", `the headphones arrived broken. ${more}`),
  );
}

describe("incident add", () => {
  it("turns an OTLP JSON export into an incident the suite runs and passes", async () => {
    const cwd = await tempProject();
    const c = capture(cwd);
    const code = await runIncidentAdd(join(traces, "ai-sdk-v6.otlp.json"), { title: "Refund run" }, c.io);
    expect(code).toBe(0);
    expect(c.out().replaceAll(cwd, "<tmp>")).toMatchInlineSnapshot(`
      "scrubbed 1 value (17 occurrences) in 13 fields:
        span bafec48da8ab2254 attributes["ai.prompt"]: email ×1
        span bafec48da8ab2254 attributes["ai.response.text"]: email ×1
        span 757ab3ff8ec8df2b attributes["ai.prompt.messages"]: email ×1
        span 56304e9c3ed430b4 attributes["ai.toolCall.result"]: email ×1
        span 9501881f075f0eac attributes["ai.prompt.messages"]: email ×2
        span cf894c0ae2331965 attributes["ai.prompt.messages"]: email ×2
        span cf894c0ae2331965 attributes["ai.response.toolCalls"]: email ×1
        span 52d402e060b9a0df attributes["ai.toolCall.args"]: email ×1
        span 78a0894a360e7908 attributes["ai.prompt.messages"]: email ×3
        span 78a0894a360e7908 attributes["ai.response.text"]: email ×1
        scenario.input: email ×1
        scenario.turns[2].toolCalls[0].arguments: email ×1
        scenario.turns[3].text: email ×1
      added INC-0001 "Refund run": trace 292786ac7bba99fa32b8fb402cf96304, 9 spans, 9 facts, audit 0s after the run
        tool:lookup_order.arguments
        tool:lookup_order.result
        tool:refund_payment.arguments
        tool:refund_payment.result
        policy:refund-limit.decision
        policy:refund-limit.reason
        policy:refund-limit.subject
        tool:email_customer.arguments
        tool:email_customer.result
      run its test: npx vitest run suites/incidents.test.ts -t INC-0001
      incidents/INC-0001-refund-run.yaml
      "
    `);
    const [run] = await asTheSuiteRunsIt(join(cwd, "incidents"));
    expect(run!.entry.testName).toBe("INC-0001 Refund run");
    expect(run!.loaded.incident.scenario?.turns).toHaveLength(4);
    expect(run!.result).toBeReconstructable();
    expect(run!.result).toKeepFacts(run!.loaded.incident.expect.facts);
  });

  it("--agent names the agent the run was recorded from, so the replays suite replays it", async () => {
    const cwd = await tempProject();
    await writeFile(join(cwd, "trailcheck.config.yaml"), 'agent: { command: "node agent.js" }\n');
    const trace = join(traces, "ai-sdk-v6.otlp.json");
    const c = capture(cwd);
    expect(await runIncidentAdd(trace, { agent: "node other.js" }, c.io)).toBe(0);
    expect(await runIncidentAdd(trace, { agent: true }, c.io)).toBe(0);
    expect(c.out()).toContain("replayed against node other.js (replay.agent)\n");
    const [other, own] = await Promise.all(
      (await discoverIncidents(join(cwd, "incidents"))).map((e) => loadIncident(e.file)),
    );
    expect(other!.incident.replay).toEqual({ agent: "node other.js" });
    expect(own!.incident.replay).toEqual({ agent: "node agent.js" });
    expect(replaySkipReason(own!.incident, "node agent.js")).toBeUndefined();
    expect(replaySkipReason(other!.incident, "node agent.js")).toContain("not from the configured agent");

    const bare = capture(await tempProject());
    await expect(runIncidentAdd(trace, { agent: true }, bare.io)).rejects.toMatchObject({ code: "no-agent" });
    await expect(runIncidentAdd(trace, { agent: " " }, bare.io)).rejects.toMatchObject({
      code: "bad-option",
    });
    expect(await files(join(bare.io.cwd, "incidents"))).toEqual([]);
  });

  it("picks one trace of a collector file export, and lists the candidates when none is named", async () => {
    const cwd = await tempProject();
    const file = join(traces, "collector-file-export.jsonl");
    const c = capture(cwd);
    const failed = runIncidentAdd(file, {}, c.io);
    await expect(failed).rejects.toBeInstanceOf(InputError);
    await expect(failed).rejects.toThrow(
      "the file holds 2 traces; choose one with --trace-id:\n" +
        "  292786ac7bba99fa32b8fb402cf96304  ai.generateText (9 spans)\n" +
        "  b269c405c9352945294a0f8b20aa4e5b  support-agent.handle_request (10 spans)",
    );
    expect(await files(join(cwd, "incidents"))).toEqual([]);
    await expect(runIncidentAdd(file, { traceId: "0".repeat(32) }, c.io)).rejects.toThrow(
      /no span of trace 0{32} in the file; it holds:\n {2}292786ac/,
    );

    const code = await runIncidentAdd(file, { traceId: "292786AC7BBA99FA32B8FB402CF96304" }, c.io);
    expect(code).toBe(0);
    const [run] = await asTheSuiteRunsIt(join(cwd, "incidents"));
    expect(run!.loaded.records).toHaveLength(9);
    expect(run!.result).toBeReconstructable();
  });

  it("turns an OpenAI Agents SDK export into an incident; its recording's own gaps become the facts", async () => {
    const cwd = await tempProject();
    const c = capture(cwd);
    expect(await runIncidentAdd(join(traces, "openai-agents.json"), { source: "counterexample" }, c.io)).toBe(
      0,
    );
    const [run] = await asTheSuiteRunsIt(join(cwd, "incidents"));
    expect(run!.entry.testName).toMatch(/^INC-0001 Recorded run of /);
    // The SDK made no model-call spans with a custom Model: no scenario, and the incident names those gaps.
    expect(run!.loaded.incident.scenario).toBeUndefined();
    expect(run!.loaded.incident.expect.facts).toContain("llm:support-agent.record");
    expect(run!.result).not.toBeReconstructable();
    expect(() => expect(run!.result).toKeepFacts(["llm:support-agent.record"])).toThrow(
      /llm:support-agent\.record: missing\n {2}✗ llm:support-agent\.record — instrumentation at instrumentation/,
    );
  });

  it("writes no scrubbed value anywhere: arguments, prompts, results, events, resource", async () => {
    const cwd = await tempProject();
    const secrets = {
      card: "4111 1111 1111 1111",
      key: "sk-live-abcdefghijklmnopqrstuv",
      phone: "+44 20 7946 0958",
      email: "bob.smith@corp.example",
      ip: "198.51.100.23",
      bearer: "abcdEFGH1234ijkl",
      aws: "AKIAIOSFODNN7EXAMPLE",
      host: "10.20.30.40",
    };
    const otlp = await exampleOtlp(`Card ${secrets.card}, key ${secrets.key}, phone ${secrets.phone}.`);
    const resource = otlp.resourceSpans[0]!.resource;
    resource.attributes.push({ key: "host.ip", value: { stringValue: secrets.host } });
    for (const span of otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))) {
      const attr = (k: string) => span.attributes.find((a) => a.key === k)!;
      if (
        !span.attributes.some((a) => a.key === "ai.toolCall.name" && a.value.stringValue === "refund_payment")
      )
        continue;
      attr("ai.toolCall.args").value.stringValue = JSON.stringify({
        orderId: "A-1001",
        amount: 40,
        card: secrets.card.replaceAll(" ", ""),
        credentials: `aws ${secrets.aws}`,
      });
      attr("ai.toolCall.result").value.stringValue = JSON.stringify({
        notified: secrets.email,
        from: secrets.ip,
      });
      span.events = [
        {
          name: "http.request",
          timeUnixNano: span.startTimeUnixNano,
          attributes: [{ key: "http.header", value: { stringValue: `Bearer ${secrets.bearer}` } }],
        },
      ];
    }
    const file = join(cwd, "trace.otlp.json");
    await writeFile(file, JSON.stringify(otlp));
    const c = capture(cwd);
    expect(await runIncidentAdd(file, { fact: ["tool:refund_payment.arguments"] }, c.io)).toBe(0);
    const dir = join(cwd, "incidents");
    const written = await Promise.all((await files(dir)).map((f) => readFile(join(dir, f), "utf8")));
    expect(written).toHaveLength(2);
    const all = [...written, c.out()].join("\n");
    for (const value of [...Object.values(secrets), "4111111111111111", "jane.doe@example.com"]) {
      expect(all).not.toContain(value);
    }
    expect(c.out()).toContain('span 1c03def5031c8412 attributes["ai.toolCall.args"]: card ×1, secret ×1');
    // Scrubbed consistently, the run is still whole and its JSON still parses.
    const [run] = await asTheSuiteRunsIt(dir);
    expect(run!.result).toBeReconstructable();
    const refund = run!.loaded.records.find((r) => r.attributes["ai.toolCall.name"] === "refund_payment")!;
    expect(JSON.parse(refund.attributes["ai.toolCall.args"] as string)).toEqual({
      orderId: "A-1001",
      amount: 40,
      card: "<card-1>",
      credentials: "aws <secret-2>",
    });
  });

  it("writes no secret in any shape: keys, Basic, JWT, PEM, URL parameters, base64", async () => {
    const cwd = await tempProject();
    const pemBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
    const secrets = {
      keyAsKey: "sk-proj-KEYASKEYabcdefghijklmnop",
      jsonKey: "AKIAJSONKEY7EXAMPLE1",
      basic: Buffer.from("alice:correct-horse-battery").toString("base64"),
      jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg",
      pemBody,
      urlToken: "tok3n-in-the-query",
      wrapped: Buffer.from("password=wrapped-in-base64-secret").toString("base64"),
    };
    const pem = `-----BEGIN PRIVATE KEY-----\n${pemBody}\n${pemBody.slice(8)}\n-----END PRIVATE KEY-----`;
    const otlp = await exampleOtlp(`My session is ${secrets.jwt}.`);
    otlp.resourceSpans[0]!.resource.attributes.push({
      key: "deployment.config",
      value: { stringValue: secrets.wrapped },
    });
    const spans = otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    for (const span of spans) {
      if (!span.attributes.some((a) => a.key === "ai.toolCall.name")) continue;
      span.attributes.push(
        { key: secrets.keyAsKey, value: { stringValue: "a key used as an attribute name" } },
        { key: "http.url", value: { stringValue: `https://shop.test/api?token=${secrets.urlToken}&q=1` } },
        { key: "tool.output", value: { stringValue: JSON.stringify({ [secrets.jsonKey]: { pem } }) } },
      );
      span.events = [
        {
          name: "http.request",
          timeUnixNano: span.startTimeUnixNano,
          attributes: [
            { key: "http.header", value: { stringValue: `Authorization: Basic ${secrets.basic}` } },
          ],
        },
      ];
    }
    const file = join(cwd, "trace.otlp.json");
    await writeFile(file, JSON.stringify(otlp));
    const c = capture(cwd);
    expect(await runIncidentAdd(file, {}, c.io)).toBe(0);
    const dir = join(cwd, "incidents");
    const names = await files(dir);
    expect(names.map((n) => n.replace(/^INC-0001-.*?(\.run\.jsonl|\.yaml)$/, "$1")).sort()).toEqual([
      ".run.jsonl",
      ".yaml",
    ]);
    const all = [...(await Promise.all(names.map((f) => readFile(join(dir, f), "utf8")))), c.out()].join(
      "\n",
    );
    for (const value of [...Object.values(secrets), "correct-horse-battery", "wrapped-in-base64-secret"]) {
      expect(all).not.toContain(value);
    }
    // The run is still whole: the records load and the suite checks them.
    const [run] = await asTheSuiteRunsIt(dir);
    expect(run!.result).toBeReconstructable();
  });

  it("--no-scrub writes the recording verbatim and says so loudly", async () => {
    const cwd = await tempProject();
    const c = capture(cwd);
    expect(await runIncidentAdd(join(traces, "ai-sdk-v6.otlp.json"), { scrub: false }, c.io)).toBe(0);
    expect(c.err()).toMatchInlineSnapshot(`
      "trailcheck: WARNING: --no-scrub: nothing was scrubbed. The incident holds the recording verbatim; any personal data, keys and tokens in it go into the repository with it.
      "
    `);
    expect(c.out().split("\n")[0]).toBe(
      "NOT SCRUBBED (--no-scrub): review both files before committing them",
    );
    const dir = join(cwd, "incidents");
    const run = (await files(dir)).find((f) => f.endsWith(".run.jsonl"))!;
    expect(await readFile(join(dir, run), "utf8")).toContain("jane.doe@example.com");
  });

  it("a second add of the same trace gets a new id and overwrites nothing", async () => {
    const cwd = await tempProject();
    const trace = join(traces, "genai-semconv.otlp.json");
    await runIncidentAdd(trace, { title: "Same" }, capture(cwd).io);
    const dir = join(cwd, "incidents");
    const before = await Promise.all(
      (await files(dir)).map(async (f) => [f, await readFile(join(dir, f), "utf8")]),
    );
    const c = capture(cwd);
    await runIncidentAdd(trace, { title: "Same" }, c.io);
    expect(c.out().trimEnd().split("\n").at(-1)).toBe("incidents/INC-0002-same.yaml");
    expect(await files(dir)).toEqual([
      "INC-0001-same.run.jsonl",
      "INC-0001-same.yaml",
      "INC-0002-same.run.jsonl",
      "INC-0002-same.yaml",
    ]);
    for (const [f, text] of before) expect(await readFile(join(dir, f!), "utf8")).toBe(text);
  });

  it("concurrent adds never take the same id", async () => {
    const cwd = await tempProject();
    const trace = join(traces, "genai-semconv.otlp.json");
    await Promise.all(
      ["a", "b", "c", "d", "e"].map((t) => runIncidentAdd(trace, { title: `run ${t}` }, capture(cwd).io)),
    );
    const yamls = (await files(join(cwd, "incidents"))).filter((f) => f.endsWith(".yaml"));
    expect(yamls.map((f) => f.slice(0, 8))).toEqual([
      "INC-0001",
      "INC-0002",
      "INC-0003",
      "INC-0004",
      "INC-0005",
    ]);
    expect(await files(join(cwd, "incidents"))).toHaveLength(10);
  });

  it("an add interrupted between the two writes leaves no file behind", async () => {
    const cwd = await tempProject();
    const c = capture(cwd, {
      afterRunFile: () => {
        throw new Error("disk full");
      },
    });
    await expect(runIncidentAdd(join(traces, "ai-sdk-v6.otlp.json"), {}, c.io)).rejects.toThrow("disk full");
    expect(await readdir(join(cwd, "incidents"))).toEqual([]);
    // The id is free again.
    await runIncidentAdd(join(traces, "ai-sdk-v6.otlp.json"), { title: "after" }, capture(cwd).io);
    expect(await files(join(cwd, "incidents"))).toEqual(["INC-0001-after.run.jsonl", "INC-0001-after.yaml"]);
  });

  it("rejects bad input before writing anything", async () => {
    const cwd = await tempProject();
    const trace = join(traces, "ai-sdk-v6.otlp.json");
    const add = (flags: object) => runIncidentAdd(trace, flags, capture(cwd).io);
    await expect(add({ severity: "urgent" })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --severity: 'urgent' is not one of low, medium, high, critical]`,
    );
    await expect(add({ source: "twitter" })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --source: 'twitter' is not one of customer-complaint, audit-finding, incident-investigation, counterexample, production-audit]`,
    );
    await expect(add({ reported: "last tuesday" })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --reported: 'last tuesday' is not a date YYYY-MM-DD]`,
    );
    await expect(add({ auditAfter: "a while" })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --audit-after must be a duration such as 7d, 30d, 6mo, 1y or 12h, not 'a while']`,
    );
    await expect(add({ fact: ["refund_payment.arguments"] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --fact: 'refund_payment.arguments' is not KIND:NAME.FACT, e.g. tool:refund_payment.arguments]`,
    );
    await expect(add({ fact: ["tool:refund.arguments"] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: --fact: the run has no tool action named 'refund'; its actions: agent:support-agent, llm:gpt-4o, tool:lookup_order, tool:refund_payment, policy:refund-limit, tool:email_customer]`,
    );
    await expect(runIncidentAdd(join(cwd, "missing.json"), {}, capture(cwd).io)).rejects.toThrow(
      "the trace file does not exist; check the path",
    );
    expect(await files(join(cwd, "incidents"))).toEqual([]);
    await expect(stat(join(cwd, "incidents"))).rejects.toThrow();
  });
});

describe("incident list", () => {
  it("lists the seed incidents as JSON", async () => {
    const c = capture(root);
    expect(await runIncidentList({ format: "json" }, c.io)).toBe(0);
    const listing = JSON.parse(c.out());
    expect(listing.incidents.map((i: { id: string; source: string }) => `${i.id} ${i.source}`)).toEqual([
      "INC-0001 customer-complaint",
      "INC-0002 audit-finding",
      "INC-0003 incident-investigation",
      "INC-0004 audit-finding",
      "INC-0005 incident-investigation",
    ]);
    expect(listing.invalid).toEqual([]);
  });
});

describe("incident show", () => {
  it("shows the recorded run as a timeline: actions by parent, facts, what is missing", async () => {
    const c = capture(root);
    expect(await runIncidentShow("4", {}, c.io)).toBe(0);
    const lines = c.out().split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "INC-0004  Policy decisions logged to a separate stream without trace ids",
      "reported 2026-03-11 · audit-finding · severity high",
    ]);
    expect(lines.filter((l) => /^\s*\+\d/.test(l)).map((l) => l.replace(/\s+span \w+.*/, "").trim())).toEqual(
      [
        "+0.000s   agent   support-agent",
        "+0.009s     llm     gpt-4o",
        "+0.021s     tool    lookup_order",
        "+0.036s     llm     gpt-4o",
        "+0.048s     tool    lookup_order",
        "+0.060s     llm     gpt-4o",
        "+0.072s     policy  refund-limit",
        "+0.084s     llm     gpt-4o",
      ],
    );
    expect(c.out()).toContain("* decision: deny");
    await expect(runIncidentShow("INC-0099", {}, c.io)).rejects.toThrow(
      "no incident INC-0099 in incidents/; there are INC-0001, INC-0002, INC-0003, INC-0004",
    );
  });

  it("takes a tool name with a line break (the model chooses tool names) into a fact the suite checks", async () => {
    const cwd = await tempProject();
    const trace = join(cwd, "run.jsonl");
    const name = "refund\npayment";
    await writeFile(
      trace,
      serializeRecordsJsonl([
        span({
          id: 1,
          status: { code: "ok" },
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.call.arguments": JSON.stringify({ order: "A-1001" }),
            "gen_ai.tool.call.result": JSON.stringify({ refunded: true }),
          },
        }),
      ]),
    );
    const c = capture(cwd);
    // It crashed (exit 70): the fact `tool:refund\npayment.arguments` failed the incident's own schema.
    expect(await runIncidentAdd(trace, { title: "Line break" }, c.io)).toBe(0);
    const [run] = await asTheSuiteRunsIt(join(cwd, "incidents"));
    expect(run!.loaded.incident.expect.facts).toEqual([`tool:${name}.arguments`, `tool:${name}.result`]);
    expect(run!.result).toKeepFacts(run!.loaded.incident.expect.facts);
  });

  it("escapes control characters from the recording", async () => {
    const cwd = await tempProject();
    const trace = join(cwd, "run.jsonl");
    await writeFile(
      trace,
      serializeRecordsJsonl([
        span({
          id: 1,
          name: "evil\u001b[2J",
          status: { code: "ok" },
          attributes: {
            "trailcheck.kind": "tool",
            "tool.name": "evil\u001b[31mtool\u202e",
            "tool.arguments": "line1\nline2",
          },
        }),
      ]),
    );
    await runIncidentAdd(trace, { title: "Escapes" }, capture(cwd).io);
    const c = capture(cwd);
    await runIncidentShow("INC-0001", {}, c.io);
    expect(c.out()).not.toMatch(/[\u001b\u202e]/);
    expect(c.out()).toContain("\\u001b[");
  });
});
