import { TOOL_CALL_MARKERS } from "../../conventions/_internals/tool-calls.js";
import { CLASSIFICATION } from "../../conventions/classify.js";
import { factKeys, NATIVE_KEYS, OPENINFERENCE_KEYS } from "../../conventions/index.js";
import { DECISION_WORDS } from "../../conventions/native.js";
import type { Action, ActionKind, FactName } from "../../model/action.js";
import type { Profile } from "../../model/profile.js";
import type { Convention } from "../../model/record.js";
import { requiredFacts } from "../../reconstruct/compare.js";
import { AGENT_KEYS } from "../run-facts.js";
import { CONTENT, DIGEST, MASK } from "../stored-value.js";
import { and, attr, cases, firstPresent, hasAttr, or, str, strs } from "./sql.js";

/**
 * Per-span SQL that says what the convention mappers would find on a stored span, without reading it
 * into node: its layer and convention, whether every fact the profile requires is surely present and
 * readable, which tool calls a model span surely asked for (by call id), the call id a tool span
 * executed and a policy span blocked, and the agent name. Every expression is *sure or not*: where
 * the mapper does something SQL doesn't follow (parses a payload in a shape it doesn't know, rebuilds
 * flattened keys, unescapes text), it answers "not sure", and the run goes to node. Key lists come
 * from the conventions' own tables (`factKeys`, `CLASSIFICATION`, the `*_KEYS`).
 */

/** Facts that link records; the structure (roots, orphans) checks them per run. */
const LINKS: ReadonlySet<FactName> = new Set(["record", "traceId", "parent"]);
/** Facts a failed call doesn't produce (`requiredFacts`). */
const UNPRODUCED: ReadonlySet<FactName> = new Set(["result", "output", "toolCalls"]);

/** Each convention and the layers its classification can give, other than `other`. */
const LAYERS: Readonly<Record<Exclude<Convention, "unknown">, readonly ActionKind[]>> = {
  native: ["agent", "llm", "tool", "policy", "handoff"],
  "openai-agents": ["agent", "llm", "tool", "policy", "handoff"],
  "ai-sdk": ["agent", "llm", "tool"],
  openinference: ["agent", "llm", "tool", "policy"],
  genai: ["agent", "llm", "tool"],
};

const lookup = (value: string, table: Readonly<Record<string, string>>) =>
  `transform(${value}, ${strs(Object.keys(table))}, ${strs(Object.values(table))}, 'other')`;

/** `tuple(kind, convention)`, in `classifyRecord`'s order. */
export function classifySql(): string {
  const c = CLASSIFICATION;
  const sdk = c["ai-sdk"].operations;
  const op = attr(c["ai-sdk"].key);
  const sdkKind = cases(
    [
      [`${op} = ${str(sdk.tool)}`, "'tool'"],
      [`match(${op}, ${str(sdk.llm.source)})`, "'llm'"],
      [`match(${op}, ${str(sdk.agent.source)})`, "'agent'"],
    ],
    "'other'",
  );
  return cases(
    [
      [`${attr(c.native.key)} IN ${strs(c.native.kinds)}`, `tuple(${attr(c.native.key)}, 'native')`],
      [
        hasAttr(c["openai-agents"].key),
        `tuple(${lookup(attr(c["openai-agents"].key), c["openai-agents"].kinds)}, 'openai-agents')`,
      ],
      [hasAttr(c["ai-sdk"].key), `tuple(${sdkKind}, 'ai-sdk')`],
      [
        hasAttr(c.openinference.key),
        `tuple(${lookup(`upper(${attr(c.openinference.key)})`, c.openinference.kinds)}, 'openinference')`,
      ],
      [hasAttr(c.genai.key), `tuple(${lookup(attr(c.genai.key), c.genai.kinds)}, 'genai')`],
    ],
    "tuple('other', 'unknown')",
  );
}

/** JavaScript upper-cases some non-ASCII letters into ASCII ones (`ı` → `I`): such a kind is not sure. */
export function classifySureSql(): string {
  return `NOT match(${attr(CLASSIFICATION.openinference.key)}, '[^\\\\x00-\\\\x7F]')`;
}

/** The keys the redaction processor's summary lists as masked (`stored-value.ts`). */
const SUMMARY_MASKED = `splitByChar(',', ${attr("redaction.masked.keys")})`;

/** A present value that reads as written: no mask, not a digest of content, not listed as masked. */
function readable(
  value: string,
  key: string,
  fact: FactName,
  maskable: boolean,
  extra: string[] = [],
): string {
  if (maskable) return "1";
  return and([
    `position(${value}, ${str(MASK)}) = 0`,
    ...(CONTENT.has(fact) ? [`NOT match(${value}, ${str(DIGEST.source)})`] : []),
    `NOT has(${SUMMARY_MASKED}, ${str(key)})`,
    ...extra,
  ]);
}

/** The first present key holds the fact, readable; `otherwise` when none is present. */
function fromKeys(keys: readonly string[], fact: FactName, maskable: boolean, otherwise = "0"): string {
  return cases(
    keys.map((k) => [`${attr(k)} != ''`, readable(attr(k), k, fact, maskable)] as const),
    otherwise,
  );
}

/** The span name as the fact (OpenInference agents and guardrails without a name attribute). */
function spanName(fact: FactName, maskable: boolean): string {
  return and(["SpanName != ''", readable("SpanName", "name", fact, maskable)]);
}

/** A key that is a dotted prefix of `path`, holding JSON an Agents SDK reader kept, or keys flattened below it. */
function heldElsewhere(path: string): string {
  const segments = path.split(".");
  const prefixes = segments.slice(1, -1).map((_, i) => segments.slice(0, i + 1).join("."));
  return or([
    ...prefixes.reverse().map(hasAttr),
    `arrayExists(k -> startsWith(k, ${str(`${path}.`)}), mapKeys(SpanAttributes))`,
  ]);
}

/**
 * The Agents SDK reader's `read(paths)`: a path's own key when present; a key that exists but is empty
 * moves on to the next path; JSON held under a shorter key or flattened below is not followed (not sure).
 */
function fromPaths(paths: readonly string[], check: (key: string) => string): string {
  const branches: [string, string][] = [];
  for (const p of paths) {
    branches.push([`${attr(p)} != ''`, check(p)]);
    branches.push([`NOT ${hasAttr(p)} AND (${heldElsewhere(p)})`, "0"]);
  }
  return cases(branches, "0");
}

/** The tool-call list a model span's output yields: present whenever its source is; read on the raw text. */
function toolCallsReadable(key: string, maskable: boolean): string {
  return readable(attr(key), key, "toolCalls", maskable, [`position(${attr(key)}, '\\\\u') = 0`]);
}

/** Whether one required fact of a span of this convention and layer is surely present and readable. */
function factSure(convention: Convention, kind: ActionKind, fact: FactName, profile: Profile): string {
  const maskable = (profile.maskable[kind] ?? []).includes(fact);
  if (fact === "status") return "1";
  if (fact === "error" || fact === "integrity") return "0";
  const keys = factKeys(convention, kind, fact);
  if (convention === "openai-agents") {
    if (kind === "policy" && fact === "decision") {
      const k = keys[0]!;
      return and([
        `${attr(k)} IN ('true', 'false')`,
        maskable ? "1" : `NOT has(${SUMMARY_MASKED}, ${str(k)})`,
      ]);
    }
    if (kind === "llm" && fact === "toolCalls") {
      return fromPaths(factKeys(convention, "llm", "output"), (k) => toolCallsReadable(k, maskable));
    }
    return fromPaths(keys, (k) => readable(attr(k), k, fact, maskable));
  }
  if (kind === "llm" && fact === "toolCalls") {
    const output = factKeys(convention, "llm", "output");
    if (convention === "ai-sdk") {
      const calls = keys[0]!;
      return cases(
        [
          [`${attr(calls)} != ''`, toolCallsReadable(calls, maskable)],
          [or(output.map((k) => `${attr(k)} != ''`)), "1"],
        ],
        "0",
      );
    }
    const fromOutput = cases(
      output.map((k) => [`${attr(k)} != ''`, toolCallsReadable(k, maskable)] as const),
      "0",
    );
    // OpenInference: flattened output messages give the list (not followed here), else output.value.
    return convention === "openinference" ? and([`NOT ${flattenedOutput()}`, fromOutput]) : fromOutput;
  }
  if (convention === "openinference") {
    // Mapper fallbacks SQL doesn't follow (flattened messages, a tool's parameters, a guardrail's
    // output) are not sure; the span name stands in for a missing agent or guardrail name.
    const nameFallback = fact === "name" && (kind === "agent" || kind === "policy");
    const derived =
      (kind === "llm" && (fact === "input" || fact === "output")) ||
      (kind === "tool" && fact === "arguments") ||
      (kind === "policy" && fact === "decision");
    const direct = derived ? keys.slice(0, 1) : keys;
    const fallback = nameFallback
      ? spanName(fact, maskable)
      : kind === "policy" && fact === "decision"
        ? guardrailDecision(OPENINFERENCE_KEYS.output, maskable)
        : "0";
    return fromKeys(direct, fact, maskable, fallback);
  }
  return fromKeys(keys, fact, maskable);
}

/**
 * An OpenInference guardrail's decision read from its output (`guardrailDecision`), where SQL is sure
 * the mapper finds one: the whole value a decision word, or valid JSON (`JSON.parse` accepts it too)
 * whose one `decision` member is one — one by its text, so neither a duplicate key (the parser keeps
 * the last, ClickHouse the first) nor a `\\u`-escaped spelling of the key can hide another. `lower`
 * changes only ASCII letters, so a word it matches is one `trim().toLowerCase()` gives too. The JSON
 * functions of the ClickHouse the tests run on already read invalid text as no member; `isValidJSON`
 * keeps that from resting on a server's JSON parser (`allow_simdjson = 0` switches it).
 */
function guardrailDecision(keys: readonly string[], maskable: boolean): string {
  const [key, v] = [`${firstPresent(keys)}.1`, `${firstPresent(keys)}.2`];
  const word = (w: string) => `lower(${w}) IN ${strs(Object.keys(DECISION_WORDS))}`;
  return and([
    or([
      word(`trimBoth(${v})`),
      and([
        `position(${v}, '\\\\u') = 0`,
        `isValidJSON(${v})`,
        `countSubstrings(${v}, '"decision"') = 1`,
        word(`JSONExtractString(${v}, 'decision')`),
      ]),
    ]),
    maskable ? "1" : `NOT has(${SUMMARY_MASKED}, ${key})`,
  ]);
}

/** OpenInference's flattened `llm.output_messages.*` keys, present. */
function flattenedOutput(): string {
  return `arrayExists(k -> startsWith(k, 'llm.output_messages.') AND SpanAttributes[k] != '', mapKeys(SpanAttributes))`;
}

/** The profile's required facts for one convention and layer, as `requiredFacts` gives them. */
function required(convention: Convention, kind: ActionKind, profile: Profile): FactName[] {
  const action = { convention, kind, failed: false } as Action;
  return requiredFacts(action, profile).filter((f) => !LINKS.has(f));
}

/**
 * Whether every fact the profile requires of the span is surely there and readable, given the columns
 * `kind`, `conv` and `failed` (a failed call owes no result, output or tool-call list). `failed` is
 * what SQL sees for sure (error status, `error.type`): missing an error node would see only makes
 * SQL require more.
 */
export function factsSureSql(profile: Profile): string {
  const branches: [string, string][] = [];
  for (const [convention, kinds] of Object.entries(LAYERS) as [
    Exclude<Convention, "unknown">,
    ActionKind[],
  ][]) {
    for (const kind of kinds) {
      const checks = required(convention, kind, profile).map((fact) => {
        const sure = factSure(convention, kind, fact, profile);
        return UNPRODUCED.has(fact) ? `failed OR (${sure})` : sure;
      });
      branches.push([`conv = ${str(convention)} AND kind = ${str(kind)}`, and(checks)]);
    }
  }
  return cases(branches, "1");
}

/** `failed` as SQL can be sure of it: an error status or an `error.type` attribute. */
export function failedSql(): string {
  return `StatusCode = 'Error' OR ${hasAttr("error.type")}`;
}

/**
 * An upper bound on the tool calls `extractToolCalls` can find in JSON text without `\\u` escapes:
 * every shape it recognises has, in its own text, a `"type": "tool_call"` or `"function_call"` member,
 * a `"toolName"` key or a `"function"` key, and recognised objects never nest.
 */
function markerCount(v: string): string {
  return `(countMatches(${v}, '"type"\\s*:\\s*"(tool_call|function_call)"') + countMatches(${v}, '"(toolName|function)"\\s*:'))`;
}

function mayHold(v: string): string {
  return `multiSearchAny(${v}, ${strs(TOOL_CALL_MARKERS)})`;
}

/**
 * `tuple(ids, sure)`: the call ids of the tool calls a model span asked for, and whether those are
 * surely all of them. A payload without the markers holds none, as the mapper decides; otherwise SQL
 * reads the convention's own shape, and is sure only when every marker in the text belongs to a call
 * it read with a string name and id (so no shape it doesn't read can hide another call).
 */
export function requestsSql(convention: Convention): string {
  const none = "tuple(CAST([], 'Array(String)'), 1)";
  const unsure = "tuple(CAST([], 'Array(String)'), 0)";
  const guarded = (v: string, parsed: string) =>
    cases(
      [
        [`NOT ${mayHold(v)}`, none],
        [`position(${v}, '\\\\u') > 0`, unsure],
      ],
      parsed,
    );
  const str1 = (e: string, key: string) =>
    `JSONType(${e}, ${str(key)}) = 'String' AND JSONExtractString(${e}, ${str(key)}) != '' AND countSubstrings(${e}, ${str(`"${key}"`)}) = 1`;
  if (convention === "genai" || convention === "native") {
    const v = `${firstPresent(factKeys(convention, "llm", "toolCalls"))}.2`;
    const parts = `arrayFilter(p -> JSONExtractString(p, 'type') = 'tool_call', arrayFlatten(arrayMap(m -> JSONExtractArrayRaw(m, 'parts'), JSONExtractArrayRaw(${v}))))`;
    const good = `arrayAll(p -> ${str1("p", "name")} AND ${str1("p", "id")} AND countSubstrings(p, '"type"') = 1, ${parts})`;
    return guarded(
      v,
      `tuple(arrayMap(p -> JSONExtractString(p, 'id'), ${parts}), length(${parts}) = ${markerCount(v)} AND ${good})`,
    );
  }
  if (convention === "ai-sdk") {
    const v = `${firstPresent(factKeys(convention, "llm", "toolCalls"))}.2`;
    const calls = `arrayFilter(e -> JSONType(e, 'toolName') = 'String' AND JSONExtractString(e, 'toolName') != '', JSONExtractArrayRaw(${v}))`;
    const good = `arrayAll(e -> ${str1("e", "toolCallId")} AND countSubstrings(e, '"type"') = 0, ${calls})`;
    return guarded(
      v,
      `tuple(arrayMap(e -> JSONExtractString(e, 'toolCallId'), ${calls}), length(${calls}) = ${markerCount(v)} AND ${good})`,
    );
  }
  if (convention === "openinference") {
    const flat = `arrayFilter(k -> startsWith(k, 'llm.output_messages.') AND SpanAttributes[k] != '', mapKeys(SpanAttributes))`;
    const callNames = `arrayFilter(k -> match(k, '^llm\\\\.output_messages\\\\.[0-9]+\\\\.message\\\\.tool_calls\\\\.[0-9]+\\\\.tool_call\\\\.function\\\\.name$'), ${flat})`;
    const markers = `length(arrayFilter(k -> match(k, '\\\\.(type|toolName)$') OR endsWith(k, '.function.name'), ${flat}))`;
    const ids = `arrayMap(k -> SpanAttributes[concat(substring(k, 1, length(k) - 13), 'id')], ${callNames})`;
    const output = `${firstPresent(factKeys(convention, "llm", "output"))}.2`;
    return cases(
      [
        [`length(${flat}) > 0`, `tuple(${ids}, length(${callNames}) = ${markers} AND NOT has(${ids}, ''))`],
        [`NOT ${mayHold(output)}`, none],
      ],
      unsure,
    );
  }
  if (convention === "openai-agents") {
    // The reader's first output path, when present, is the payload the mapper reads; its function spans
    // carry no call id, so a model span that asked for any tool is never sure.
    const output = attr(factKeys(convention, "llm", "output")[0]!);
    const risky = `arrayExists(k -> startsWith(k, 'span_data') AND (multiSearchAny(k, ${strs(["tool_call", "function_call", "toolName", "function"])}) OR multiSearchAny(SpanAttributes[k], ${strs([...TOOL_CALL_MARKERS, "function", "\\u"])})), mapKeys(SpanAttributes))`;
    return cases(
      [
        [`${output} != ''`, `if(${mayHold(output)}, ${unsure}, ${none})`],
        [risky, unsure],
      ],
      none,
    );
  }
  return none;
}

/** Per convention, `tuple(ids, sure)` for model spans; other spans ask for nothing. */
export function spanRequestsSql(): string {
  const conventions: Convention[] = ["native", "genai", "ai-sdk", "openinference", "openai-agents"];
  return cases(
    conventions.map((c) => [`kind = 'llm' AND conv = ${str(c)}`, requestsSql(c)] as const),
    "tuple(CAST([], 'Array(String)'), 1)",
  );
}

/** The call id a tool span executed, as its mapper reads it; '' when none. */
export function toolCallIdSql(): string {
  const conventions: Convention[] = ["native", "genai", "ai-sdk", "openinference", "openai-agents"];
  return cases(
    conventions.map((c) => [`conv = ${str(c)}`, `${firstPresent(factKeys(c, "tool", "callId"))}.2`] as const),
    "''",
  );
}

/**
 * The call id a policy span surely blocked: a native `policy.decision` that normalises to `deny`
 * (plain ASCII words only) on a native or OpenInference span; '' otherwise. Blocks SQL doesn't see
 * only make it require a tool span where node would accept the block.
 */
export function blockedCallIdSql(): string {
  const decision = `trimBoth(${firstPresent(NATIVE_KEYS.decision)}.2)`;
  const deny = Object.entries(DECISION_WORDS)
    .filter(([, d]) => d === "deny")
    .map(([w]) => w);
  return `if(kind = 'policy' AND conv IN ('native', 'openinference') AND match(${decision}, '^[A-Za-z]+$') AND lower(${decision}) IN ${strs(deny)}, ${attr(NATIVE_KEYS.toolCallId)}, '')`;
}

/**
 * `tuple(name, sure)` for an agent span: the name its mapper gives the agent action (the name
 * attribute, else the span name).
 */
export function agentNameSql(): string {
  const branch = (c: Convention) => {
    const keys = factKeys(c, "agent", "name");
    if (c === "openai-agents") {
      const branches: [string, string][] = [];
      for (const p of keys) {
        branches.push([`${attr(p)} != ''`, `tuple(${attr(p)}, 1)`]);
        branches.push([`NOT ${hasAttr(p)} AND (${heldElsewhere(p)})`, "tuple('', 0)"]);
      }
      return cases(branches, "tuple(SpanName, 1)");
    }
    return cases(
      keys.map((k) => [`${attr(k)} != ''`, `tuple(${attr(k)}, 1)`] as const),
      "tuple(SpanName, 1)",
    );
  };
  const conventions: Convention[] = ["native", "genai", "ai-sdk", "openinference", "openai-agents"];
  return cases(
    conventions.map((c) => [`conv = ${str(c)}`, branch(c)] as const),
    "tuple(SpanName, 1)",
  );
}

/** The agent name any span carries (`AGENT_KEYS`), for runs without an agent span. */
export function carriedAgentSql(): string {
  return `${firstPresent(AGENT_KEYS)}.2`;
}

/** An AI SDK root whose response or usage shows a model call (an LLM span must sit under it). */
export function sdkRootShowingCallSql(): string {
  return `kind = 'agent' AND conv = 'ai-sdk' AND arrayExists(k -> startsWith(k, 'ai.response.') OR startsWith(k, 'ai.usage.'), mapKeys(SpanAttributes))`;
}

/** An Agents SDK span that may be a turn with token usage (its model call may be recorded nowhere). */
export function agentsTurnSql(): string {
  return `conv = 'openai-agents' AND kind = 'other' AND (${attr("span_data.data.sdk_span_type")} = 'turn' OR ${hasAttr("span_data")} OR ${hasAttr("span_data.data")})`;
}
