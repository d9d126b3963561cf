import fc from "fast-check";
import { parse, stringify } from "yaml";

// Arbitraries of hostile file content for the property that feeds them to every verb that reads a file
// (src/cli/input.property.test.ts).

const bytes = fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b));
const json = fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(v)));
/** YAML made of YAML's own pieces: anchors, aliases, tags, merges, block scalars, several documents. */
const yamlTokens = fc
  .array(
    fc.constantFrom(
      "- ",
      ": ",
      "&a ",
      "*a",
      "&b ",
      "*b",
      "!!str ",
      "!!binary ",
      "!!timestamp ",
      "!custom ",
      "? ",
      "|\n",
      ">-\n",
      "{",
      "}",
      "[",
      "]",
      ", ",
      "\n",
      "  ",
      "    ",
      "---\n",
      "...\n",
      "<<: *a\n",
      '"',
      "'",
      "# c\n",
      "streams",
      "name",
      "processors",
      "match",
      "kind",
      "id",
      "INC-0001",
      "turns",
      "42",
      "-1",
      "1e309",
      "null",
      "~",
      "true",
      ".nan",
      "0x1F",
      "2026-01-22",
      "%YAML 1.2\n",
      "\t",
      "\u0000",
      "\u202e",
    ),
    { maxLength: 80 },
  )
  .map((parts) => Buffer.from(parts.join("")));
const yamlValues = fc.jsonValue({ maxDepth: 5 }).map((v) => Buffer.from(stringify(v)));

/** A valid file changed a little: a range cut, repeated or overwritten, a byte flipped, a tail cut off. */
function mutation(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const edit = fc.record({
    kind: fc.constantFrom("cut", "repeat", "overwrite", "flip", "truncate", "insert"),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.nat({ max: 64 }),
    with: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  });
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => {
      let b = Buffer.from(seed);
      for (const e of edits) {
        const i = Math.floor(e.at * b.length);
        const j = Math.min(b.length, i + e.length);
        if (e.kind === "cut") b = Buffer.concat([b.subarray(0, i), b.subarray(j)]);
        if (e.kind === "repeat") b = Buffer.concat([b.subarray(0, j), b.subarray(i, j), b.subarray(j)]);
        if (e.kind === "overwrite")
          b = Buffer.concat([b.subarray(0, i), Buffer.from(e.with), b.subarray(i + e.with.length)]);
        if (e.kind === "flip" && b.length > 0) b[Math.min(i, b.length - 1)]! ^= e.with[0]!;
        if (e.kind === "truncate") b = b.subarray(0, i);
        if (e.kind === "insert") b = Buffer.concat([b.subarray(0, i), Buffer.from(e.with), b.subarray(i)]);
      }
      return b;
    });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that have broken parsers before: empty, huge, negative, not-a-number, control and bidi characters. */
const SPECIAL: readonly Json[] = [
  "",
  "NaN",
  "-1",
  "1e309",
  "9".repeat(40),
  "\u0000",
  "a\u202eb",
  "x".repeat(20_000),
  "../../etc/passwd",
  "2026-13-45",
  "INC-9999",
  "forever",
  "0s",
  "25d",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a collector config's reference to a variable, as written
  "${env:HOME}",
  -1,
  0,
  -0,
  1.5,
  2 ** 53,
  -(2 ** 63),
  1e308,
  true,
  null,
  [],
  {},
];

interface Edit {
  readonly kind: "delete" | "replace" | "special" | "retype" | "nest" | "repeat";
  /** Which node, as a fraction of the document's nodes in breadth-first order. */
  readonly at: number;
  readonly value: Json;
  readonly special: number;
  /** For `nest`: how deep the value is buried; thousands reach recursive code's stack limit. */
  readonly depth: number;
}

/** Every value of a document with where it sits, breadth first (the first 20,000). */
function nodesOf(root: Json): { holder: Json[] | Record<string, Json>; key: string | number; value: Json }[] {
  const out: { holder: Json[] | Record<string, Json>; key: string | number; value: Json }[] = [];
  const queue: Json[] = [root];
  for (let i = 0; i < queue.length && out.length < 20_000; i++) {
    const v = queue[i]!;
    if (v === null || typeof v !== "object") continue;
    const entries: [string | number, Json][] = Array.isArray(v)
      ? v.map((item, k) => [k, item])
      : Object.entries(v);
    for (const [key, value] of entries) {
      out.push({ holder: v, key, value });
      queue.push(value);
    }
  }
  return out;
}

/** A value to bury `depth` arrays deep in the written text, in place of its `__nest_N__` marker. */
interface Nest {
  readonly depth: number;
  readonly value: Json;
}

function unnest(text: string, nests: readonly Nest[]): string {
  return text.replace(/"?__nest_(\d+)__"?/g, (_, i: string) => {
    const { depth, value } = nests[Number(i)]!;
    return `${"[".repeat(depth)}${JSON.stringify(value) ?? "null"}${"]".repeat(depth)}`;
  });
}

const REPEATS = 50;
/** Nodes a document may have for a list in it to be repeated: the examples have at most a few thousand. */
const REPEAT_UNDER = 5_000;

/** A document with its structure changed: values deleted, replaced, retyped, buried deep, repeated. */
function edited(root: Json, edits: readonly Edit[], nests: Nest[]): Json {
  const doc = structuredClone(root);
  for (const e of edits) {
    const nodes = nodesOf(doc);
    const n = nodes[Math.floor(e.at * nodes.length)];
    if (!n) continue;
    const set = (v: Json) => ((n.holder as Record<string | number, Json>)[n.key] = v);
    if (e.kind === "delete") {
      if (Array.isArray(n.holder)) n.holder.splice(n.key as number, 1);
      else delete n.holder[n.key as string];
    }
    if (e.kind === "replace") set(e.value);
    if (e.kind === "special") set(SPECIAL[e.special % SPECIAL.length]!);
    if (e.kind === "retype")
      set(typeof n.value === "string" ? Number(n.value) || -1 : JSON.stringify(n.value));
    // Buried after serialising: the serialisers themselves recurse, and would overflow first.
    if (e.kind === "nest") set(`__nest_${nests.push({ depth: e.depth, value: n.value }) - 1}__`);
    // Many items, once: repeats of repeats would make files of tens of megabytes, which measure
    // throughput (bench/), not how a verb meets a hostile file.
    const list = n.value;
    if (e.kind === "repeat" && Array.isArray(list) && list.length > 0 && nodes.length < REPEAT_UNDER) {
      set(Array.from({ length: REPEATS }, (_, k) => list[k % list.length]!));
    }
  }
  return doc;
}

/** A seed as data, and how to write it back: JSON, JSON lines or YAML; undefined for other bytes. */
function asData(seed: Buffer): { value: Json; write: (v: Json) => Buffer } | undefined {
  const text = seed.toString("utf8");
  try {
    return { value: JSON.parse(text) as Json, write: (v) => Buffer.from(JSON.stringify(v, null, 2)) };
  } catch {}
  const lines = text.split("\n").filter((l) => l.trim());
  try {
    const value = lines.map((l) => JSON.parse(l) as Json);
    return {
      value,
      write: (v) => Buffer.from(`${(Array.isArray(v) ? v : [v]).map((l) => JSON.stringify(l)).join("\n")}\n`),
    };
  } catch {}
  try {
    return { value: parse(text) as Json, write: (v) => Buffer.from(stringify(v)) };
  } catch {
    return undefined;
  }
}

/** A valid file with its structure changed, written back in its own format, so it still parses. */
function structural(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const docs = seeds.map(asData).filter((d) => d !== undefined);
  if (docs.length === 0) return mutation(seeds);
  const edit: fc.Arbitrary<Edit> = fc.record({
    kind: fc.constantFrom("delete", "replace", "special", "retype", "nest", "repeat"),
    at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    special: fc.nat(),
    depth: fc.constantFrom(3, 200, 1_500, 5_000),
  });
  return fc
    .tuple(fc.constantFrom(...docs), fc.array(edit, { minLength: 1, maxLength: 3 }))
    .map(([doc, edits]) => {
      const nests: Nest[] = [];
      const text = doc.write(edited(doc.value, edits, nests)).toString("utf8");
      return Buffer.from(unnest(text, nests));
    });
}

/** Shown in a counterexample as its length and start, not as thousands of byte values. */
function shown(file: Buffer): Buffer {
  const head = JSON.stringify(file.subarray(0, 300).toString("latin1"));
  return Object.defineProperty(file, fc.toStringMethod, {
    value: () => `<${file.length} bytes: ${head}${file.length > 300 ? "…" : ""}>`,
  });
}

/**
 * The content of a hostile file: mostly a valid seed changed (in its structure, so it still parses and
 * reaches the checks behind the parser, or byte by byte), else random bytes, JSON or YAML.
 */
export function hostileFile(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .oneof(
      { weight: 4, arbitrary: structural(seeds) },
      { weight: 2, arbitrary: mutation(seeds) },
      { weight: 1, arbitrary: bytes },
      { weight: 1, arbitrary: json },
      { weight: 1, arbitrary: yamlTokens },
      { weight: 1, arbitrary: yamlValues },
    )
    .map(shown);
}

/** Bytes no reader can take: never UTF-8 (0xff is no UTF-8 byte), a NUL, then anything. */
export function unreadableFile(): fc.Arbitrary<Buffer> {
  return fc
    .uint8Array({ maxLength: 512 })
    .map((b) => shown(Buffer.concat([Buffer.from([0xff, 0x00, 0xfe]), b])));
}
