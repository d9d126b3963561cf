// The public surface, pinned: each entry point names every export (no `export *`), and a change to what
// an entry exports is a visible diff here. The published suites import trailcheck only through them.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };

const SRC = join(import.meta.dirname, "..");

/** The names a module exports (values and types), from its syntax: `export { a, type B } from "…"`. */
function exportedNames(file: string, text: string): { values: string[]; types: string[]; stars: number } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const values: string[] = [];
  const types: string[] = [];
  let stars = 0;
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) {
      stars++;
      continue;
    }
    for (const el of clause.elements) {
      (statement.isTypeOnly || el.isTypeOnly ? types : values).push(el.name.text);
    }
  }
  return { values: values.sort(), types: types.sort(), stars };
}

const ENTRIES = {
  trailcheck: "public/index.ts",
  "trailcheck/testing": "public/testing.ts",
  "trailcheck/replay": "public/replay.ts",
  "trailcheck/integrity": "public/integrity.ts",
  "trailcheck/guard": "public/guard.ts",
} as const;

async function entry(name: keyof typeof ENTRIES) {
  const file = join(SRC, ENTRIES[name]);
  const names = exportedNames(file, await readFile(file, "utf8"));
  const runtime = Object.keys(await import(file)).sort();
  return { ...names, runtime };
}

describe("public entry points", () => {
  it("package.json exports exactly these entries, each with types and compiled JavaScript", () => {
    const exports = pkg.exports as Record<string, string | Record<string, string>>;
    expect(Object.keys(exports)).toEqual([
      ".",
      "./testing",
      "./replay",
      "./integrity",
      "./guard",
      "./suites/*",
      "./package.json",
    ]);
    for (const [key, target] of Object.entries(exports)) {
      if (key === "./package.json") continue;
      const t = target as Record<string, string>;
      expect(Object.keys(t)).toEqual(["trailcheck-source", "types", "default"]);
      expect(t.default).toMatch(/^\.\/dist\/.*\.js$/);
      expect(t.types).toBe(t.default!.replace(/\.js$/, ".d.ts"));
      expect(t["trailcheck-source"]).toBe(
        t.default!.replace(/^\.\/dist\//, "./src/").replace(/\.js$/, ".ts"),
      );
    }
  });

  for (const name of Object.keys(ENTRIES) as (keyof typeof ENTRIES)[]) {
    it(`${name} names every export, and what it exports at run time is what it names`, async () => {
      const e = await entry(name);
      expect(e.stars).toBe(0);
      expect(e.runtime).toEqual(e.values);
    });
  }

  it("trailcheck", async () => {
    const e = await entry("trailcheck");
    expect({ values: e.values, types: e.types }).toMatchInlineSnapshot(`
      {
        "types": [
          "Action",
          "ActionKind",
          "ActionOutcome",
          "Analysis",
          "AttributeValue",
          "Attributes",
          "Cause",
          "CheckOptions",
          "CheckResult",
          "CollectorConfigOptions",
          "Convention",
          "CorrelationField",
          "FactName",
          "FactState",
          "Gap",
          "Integrity",
          "KindProbability",
          "LayerKind",
          "LoadedLogging",
          "Location",
          "LoggingConfig",
          "LoggingSource",
          "LossEvent",
          "Processor",
          "ProcessorName",
          "Profile",
          "ProfileInput",
          "ReadOptions",
          "RequestedToolCall",
          "Run",
          "RunComparison",
          "RunVerdict",
          "SdkExport",
          "Severity",
          "SpanEvent",
          "SpanRecord",
          "Status",
          "StorageFile",
          "StoredRecord",
          "StoredView",
          "Stream",
          "StreamAnalysis",
          "TraceFormat",
          "UnixNano",
        ],
        "values": [
          "ActionKindSchema",
          "ActionSchema",
          "AgentError",
          "BUILTIN_PROFILES",
          "BUILTIN_PROFILE_NAMES",
          "CAUSES",
          "CauseSchema",
          "ExitCode",
          "FACTS_BY_KIND",
          "FactNameSchema",
          "GapSchema",
          "InputError",
          "LAYER_KINDS",
          "LoggingConfigSchema",
          "NS_PER_DAY",
          "NS_PER_MS",
          "NS_PER_SECOND",
          "PROCESSOR_NAMES",
          "ProfileInputSchema",
          "ProfileSchema",
          "RunVerdictSchema",
          "SpanRecordSchema",
          "TRACE_FORMATS",
          "UNCARRIED_FACTS",
          "analyzeConfig",
          "checkRecords",
          "compareRun",
          "deriveActions",
          "extendProfile",
          "formatDuration",
          "groupRuns",
          "listTraceIds",
          "loadCollectorConfig",
          "loadLoggingConfig",
          "loadLoggingSource",
          "loadProfileFile",
          "parseCollectorConfig",
          "parseDuration",
          "parseLoggingConfig",
          "readRecords",
          "readRuns",
          "recordsFromOtlpJson",
          "resolveProfile",
          "simulate",
          "toNanos",
        ],
      }
    `);
  });

  it("trailcheck/testing", async () => {
    const e = await entry("trailcheck/testing");
    expect({ values: e.values, types: e.types }).toMatchInlineSnapshot(`
      {
        "types": [
          "AgentOutcome",
          "AuditTime",
          "Checked",
          "Counterexample",
          "Incident",
          "IncidentContext",
          "IncidentEntry",
          "IncidentResult",
          "LoadedIncident",
          "ProfileChoice",
          "Project",
          "ProjectFlags",
          "PropertiesResult",
          "PropertyName",
          "PropertyOptions",
          "PropertyViolation",
          "ResultInput",
          "ResultKind",
          "ResultMeta",
          "SaveOptions",
          "SavedCounterexample",
          "SynthConvention",
          "SynthOptions",
          "SyntheticRun",
        ],
        "values": [
          "DEFAULTS",
          "ENVIRONMENT",
          "IncidentSchema",
          "PROPERTY_NAMES",
          "PROPERTY_TITLES",
          "PropertiesFailure",
          "SYNTH_CONVENTIONS",
          "agentOutcome",
          "agentRunArb",
          "assertProperties",
          "auditTime",
          "checkIncident",
          "checkProperties",
          "dateSeed",
          "discoverIncidents",
          "formatGap",
          "formatPropertiesFailure",
          "installMatchers",
          "loadIncident",
          "loadIncidentContext",
          "loadProjectLogging",
          "matchers",
          "projectFiles",
          "projectProfile",
          "readResultMeta",
          "recordResult",
          "renderRun",
          "replayFlags",
          "resolveProject",
          "saveCounterexample",
          "sharedIdError",
          "toBeReconstructable",
          "toKeepFacts",
        ],
      }
    `);
  });

  it("trailcheck/replay", async () => {
    const e = await entry("trailcheck/replay");
    expect({ values: e.values, types: e.types }).toMatchInlineSnapshot(`
      {
        "types": [
          "AgentPropertiesResult",
          "AgentPropertyOptions",
          "AgentRun",
          "FailureKind",
          "GroundTruth",
          "JudgeOptions",
          "JudgeSettings",
          "JudgedReplay",
          "MockModel",
          "MockModelOptions",
          "ModelApi",
          "ModelExchange",
          "OtlpReceiver",
          "OtlpReceiverOptions",
          "ReceivedBatch",
          "ReplayFailure",
          "ReplayJudgement",
          "ReplayOptions",
          "ReplayResult",
          "SaveAgentOptions",
          "Scenario",
          "ScenarioArbOptions",
          "ScenarioTool",
          "ServedResponse",
          "ServedToolCall",
          "Turn",
        ],
        "values": [
          "SUPPORT_AGENT_TOOLS",
          "ScenarioSchema",
          "agentReplayCommand",
          "checkAgentProperties",
          "formatAgentProperties",
          "groundTruth",
          "instrumentationGaps",
          "judgeReplay",
          "loadScenario",
          "loadScenarioDir",
          "parseScenario",
          "projectScenarioArb",
          "replayAndJudge",
          "replaySkipReason",
          "runReplay",
          "runReplays",
          "sampleScenarios",
          "saveAgentCounterexample",
          "scenarioArb",
          "scenarioFromIncident",
          "scenarioYaml",
          "startMockModel",
          "startOtlpReceiver",
          "toolsFromScenarios",
        ],
      }
    `);
  });

  it("trailcheck/integrity", async () => {
    const e = await entry("trailcheck/integrity");
    expect({ values: e.values, types: e.types }).toMatchInlineSnapshot(`
      {
        "types": [
          "BundleRecord",
          "Cadence",
          "Checkpoint",
          "ExportOutcome",
          "Finding",
          "FindingKind",
          "LogVerification",
          "Manifest",
          "Seal",
          "SealedLogWriterOptions",
          "Selection",
          "SelectionRequest",
          "SigningKey",
          "VerifyLogOptions",
          "VerifyResult",
        ],
        "values": [
          "CompactRange",
          "EMPTY_ROOT",
          "FindingKindSchema",
          "MerkleTree",
          "SealedLogWriter",
          "SealingSpanExporter",
          "VerifyResultSchema",
          "buildBundleFiles",
          "exportBundle",
          "generateKeyPair",
          "keyId",
          "leafHash",
          "nodeHash",
          "openCheckpoint",
          "parseCheckpointBody",
          "parsePrivateKey",
          "parsePublicKey",
          "readRecordsForSealing",
          "rootOfLeaves",
          "sealRecords",
          "signCheckpoint",
          "signingKey",
          "spanToRecord",
          "verifyBundle",
          "verifyBundleFiles",
          "verifyConsistency",
          "verifyInclusion",
          "verifyLogDir",
          "verifyLogStore",
          "verifySealed",
        ],
      }
    `);
  });

  it("trailcheck/guard", async () => {
    const e = await entry("trailcheck/guard");
    expect({ values: e.values, types: e.types }).toMatchInlineSnapshot(`
      {
        "types": [
          "GuardFunctionToolOptions",
          "GuardMode",
          "GuardOptions",
          "GuardToolsOptions",
          "GuardedCall",
          "Ledger",
          "LedgerOptions",
          "LedgerReading",
          "LedgerRecord",
          "LedgerRecovered",
          "LedgerSink",
          "LedgerToolCall",
          "PolicyDecisionInput",
          "PolicyRecord",
          "ReadLedgerOptions",
          "RecordedArguments",
          "Redact",
          "RunFailed",
          "SyncMode",
          "ToolCallEnd",
          "ToolCallStart",
          "UnrecordedEvent",
        ],
        "values": [
          "GUARD_POLICY",
          "GuardRefusal",
          "LedgerRecordSchema",
          "UNRECORDED_ATTRIBUTE",
          "guardAgentTools",
          "guardCall",
          "guardFunctionTool",
          "guardTools",
          "ledgerToolCalls",
          "openLedger",
          "readLedger",
          "readLedgerToolCalls",
          "recordPolicyDecision",
          "recordRunFailure",
        ],
      }
    `);
  });
});

describe("published suites (trailcheck/suites/*)", () => {
  it("are these", async () => {
    const files = (await readdir(join(SRC, "suites")))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .sort();
    expect(files).toMatchInlineSnapshot(`
      [
        "agent-properties.ts",
        "config-checks.ts",
        "incidents.ts",
        "properties.ts",
        "replays.ts",
      ]
    `);
  });

  it("import trailcheck only through its public entry points", async () => {
    for (const f of (await readdir(join(SRC, "suites"))).filter(
      (x) => x.endsWith(".ts") && !x.endsWith(".test.ts"),
    )) {
      const text = await readFile(join(SRC, "suites", f), "utf8");
      const specifiers = [...text.matchAll(/^import [^;]*? from "([^"]+)";/gms)].map((m) => m[1]!);
      expect(specifiers.length, f).toBeGreaterThan(0);
      for (const s of specifiers) {
        const local = s.startsWith(".");
        expect(local ? /^\.\.\/public\/[a-z]+\.js$/.test(s) : !s.includes("trailcheck"), `${f}: ${s}`).toBe(
          true,
        );
      }
    }
  });
});
