import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFromTrailcheckJson } from "../ingest/trailcheck-jsonl.js";
import { CONVENTION_VALUES, LAYER_KIND_VALUES, STATUS_CODE_VALUES } from "../model/record-values.js";
import { isCanonicalRecord } from "./canonical-record.js";
import { readRecordsForSealing, readSealingChunks, sealedLine } from "./read-records-for-sealing.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-canonical-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What the full parse makes of one line (the reference), or the error it refuses it with. */
function slowLine(line: string): string | Error {
  try {
    return sealedLine(recordFromTrailcheckJson(JSON.parse(line)));
  } catch (err) {
    return err as Error;
  }
}

/** The fields a trailcheck JSONL record cannot do without. */
const MINIMAL_RECORD = {
  traceId: "a".repeat(32),
  spanId: "b".repeat(16),
  name: "n",
  kind: "tool",
  start: "1",
  end: "2",
};

const canonical = (line: string): boolean => {
  const buf = Buffer.from(line);
  return isCanonicalRecord(buf, 0, buf.length);
};

const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const nanos = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }).map(String), fc.constantFrom("007", "0"));

/** Text with what JSON escapes, what it doesn't, and what it can't hold as UTF-8. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "",
    '"',
    "\\",
    "/",
    "\b\f\n\r\t",
    "\u0000\u001f\u007f",
    "\u2028\u2029",
    "\ud800",
    "\udfff x",
    "é😀",
  ),
);
const plainText = fc.string({ unit: "grapheme", maxLength: 12 });
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 0.1, 1e21, 1e-7, 5e-324, 2 ** 53, 123456789012345, 1234567890123456),
);

/** Attribute keys, including the ones a JavaScript object reorders or refuses. */
const awkwardKey = fc.oneof(
  text,
  fc.constantFrom("0", "1", "10", "01", "-1", "4294967295", "__proto__", "constructor", "a.b", "1a"),
);
const plainKey = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,10}$/);

function attributeValue(key: fc.Arbitrary<string>, str: fc.Arbitrary<string>, maxKeys: number) {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      str,
      number,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(key, tie("value"), { maxKeys }),
    ),
  })).value;
}

function recordArb(key: fc.Arbitrary<string>, str: fc.Arbitrary<string>, maxKeys: number) {
  const attributes = fc.dictionary(key, attributeValue(key, str, 3), { maxKeys });
  return fc.record(
    {
      traceId: hex(32),
      spanId: hex(16),
      parentSpanId: hex(16),
      traceState: str,
      name: str,
      kind: fc.constantFrom(...LAYER_KIND_VALUES),
      convention: fc.constantFrom(...CONVENTION_VALUES),
      spanKind: fc.integer({ min: 0, max: 5 }),
      start: nanos,
      end: nanos,
      status: fc.record(
        { code: fc.constantFrom(...STATUS_CODE_VALUES), message: str, errorType: str },
        { requiredKeys: ["code"] },
      ),
      attributes,
      events: fc.array(fc.record({ name: str, time: nanos, attributes }), { maxLength: 2 }),
      resource: attributes,
      scope: fc.record({ name: str, version: str }, { requiredKeys: ["name"] }),
      stream: str,
      source: fc.record({ file: str, line: fc.nat() }),
    },
    { requiredKeys: ["traceId", "spanId", "name", "kind", "start", "end"] },
  );
}

/** A line as some other writer might have written it: reordered, spaced, escaped, renumbered. */
const variant = (line: string) =>
  fc.oneof(
    fc.constant(line),
    fc.nat().map((i) => {
      const at = i % (line.length + 1);
      return `${line.slice(0, at)} ${line.slice(at)}`;
    }),
    fc.nat().map((i) => {
      const at = i % Math.max(1, line.length);
      const c = line.charCodeAt(at);
      return `${line.slice(0, at)}\\u${c.toString(16).padStart(4, "0")}${line.slice(at + 1)}`;
    }),
    fc.constantFrom(
      line.replace(/:(\d+)([,}\]])/, ":$1.0$2"),
      line.replace(/:(\d+)([,}\]])/, ":$1e0$2"),
      line.replace(/"kind":"[a-z]+",/, ""),
      line.replace(/,"events":\[\]/, ""),
      line.replace("}", ',"extra":1}'),
      line.replace(/"attributes":\{/, '"attributes":{"a":1,"a":2,'),
      line.replace(/"attributes":\{/, '"attributes":{"1":0,'),
      line.replace(/\}$/, ',"source":{"line":1}}'),
      line.replace(/\}$/, ""),
      `${line}x`,
      line.replace(/"traceId":"./, '"traceId":"A'),
      line.replace(/"spanId":"./, '"spanId":"'),
      line.replace(/"spanKind":\d/, '"spanKind":6'),
      line.replace(/"kind":"[a-z]+"/, '"kind":"span"'),
      line.replace(/"convention":"[a-z-]+"/, '"convention":"otel"'),
      line.replace(/"start":"/, '"start":"123456789012345678901'),
      line.replace(/"end":"/, '"end":"x'),
      line.replace(/"code":"[a-z]+"/, '"code":"OK"'),
      line.replace(/"name":"/, '"name":1,"x":"'),
    ),
  );

describe("isCanonicalRecord", () => {
  it("says yes only to a line the full parse would seal as exactly those bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(recordArb(awkwardKey, text, 40), recordArb(plainKey, plainText, 4)).chain((r) => {
          const written = JSON.stringify(r);
          const sealed = slowLine(written);
          return variant(typeof sealed === "string" ? sealed : written);
        }),
        (line) => {
          // What a file holds: UTF-8, where a lone surrogate has become U+FFFD.
          const stored = Buffer.from(line).toString("utf8");
          if (canonical(stored)) expect(slowLine(stored)).toBe(stored);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("says yes to every canonical line of ordinary records (so sealing them takes no parse)", () => {
    fc.assert(
      fc.property(recordArb(plainKey, plainText, 32), (r) => {
        const line = slowLine(JSON.stringify(r));
        expect(typeof line).toBe("string");
        expect(canonical(line as string)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("says no to the edge cases of numbers, keys and escapes that read back differently", () => {
    const base = slowLine(JSON.stringify(MINIMAL_RECORD)) as string;
    expect(canonical(base)).toBe(true);
    const withAttr = (attr: string) => base.replace('"attributes":{}', `"attributes":{${attr}}`);
    expect(
      canonical(withAttr('"n":-1,"f":0.5,"e":1e+21,"t":true,"z":null,"s":"\\u0001\\n\\"","a":[[],{}]')),
    ).toBe(true);
    for (const bad of [
      '"n":-0',
      '"n":1.0',
      '"n":1e21',
      '"n":01',
      '"n":1E+21',
      '"s":"\\/"',
      '"s":"\\u0041"',
      '"s":"\\u000a"',
      '"s":"\\ud800"',
      '"1":1',
      '"__proto__":1',
      '"a":1,"a":1',
      '"a" :1',
      '"s":"\t"',
    ]) {
      expect(canonical(withAttr(bad)), bad).toBe(false);
    }
  });
});

/** A file of record lines, some canonical, some not, blank, broken, with any line ends. */
const fileArb = fc
  .array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: recordArb(plainKey, plainText, 4).map((r) => slowLine(JSON.stringify(r)) as string),
      },
      { weight: 2, arbitrary: recordArb(awkwardKey, text, 4).map((r) => JSON.stringify(r)) },
      { weight: 1, arbitrary: fc.constantFrom("", "  \t", "\r", "{", "[]", "null", '{"traceId":1}') },
    ),
    { minLength: 1, maxLength: 12 },
  )
  .chain((lines) =>
    fc
      .tuple(
        fc.array(fc.constantFrom("\n", "\r\n", "\r"), { minLength: lines.length, maxLength: lines.length }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([ends, bom, torn, badUtf8]) => {
        const parts = lines.map((l, i) => Buffer.from(i === lines.length - 1 && torn ? l : l + ends[i]));
        if (bom) parts.unshift(Buffer.from("\ufeff"));
        // A byte that is not UTF-8 inside one line: the ingest reads it as U+FFFD.
        if (badUtf8) parts.splice(parts.length - 1, 0, Buffer.from([0xff]));
        return Buffer.concat(parts);
      }),
  );

async function outcome<T>(run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (err) {
    return { error: `${(err as { code?: string }).code}: ${(err as Error).message}` };
  }
}

describe("readSealingChunks", () => {
  it("gives, byte for byte, the lines the ingest gives, or the same error, whatever the chunk size", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, fc.integer({ min: 1, max: 700 }), async (content, chunkBytes) => {
        const file = join(dir, `records-${n++}.jsonl`);
        await writeFile(file, content);
        const slow = await outcome(async () => {
          const lines = await readRecordsForSealing(file);
          return lines.map((l) => `${l}\n`).join("");
        });
        const fast = await outcome(async () => {
          const parts: string[] = [];
          for await (const { buf, from, to } of readSealingChunks(file, chunkBytes)) {
            expect(buf[from - 1]).toBeDefined();
            parts.push(buf.toString("utf8", from, to));
          }
          return parts.join("");
        });
        expect(fast).toEqual(slow);
      }),
      { numRuns: 250 },
    );
  });

  it("refuses a field no trailcheck record has, naming line and field, instead of sealing the line without it", async () => {
    // The ingest drops fields it does not know; a sealed log that lost part of the file in silence
    // would vouch for less than the user sealed. `source` is left out on purpose (sealedLine).
    const line = slowLine(
      JSON.stringify({ ...MINIMAL_RECORD, events: [{ name: "e", time: "1" }] }),
    ) as string;
    const seal = async (lines: string[]) => {
      const file = join(dir, `fields-${lines.length}-${lines.at(-1)!.length}.jsonl`);
      await writeFile(file, `${lines.join("\n")}\n`);
      const out: string[] = [];
      for await (const { buf, from, to } of readSealingChunks(file)) out.push(buf.toString("utf8", from, to));
      return out.join("");
    };
    const withSource = line.replace(/\}$/, ',"source":{"file":"x","line":1}}');
    expect(await seal([line, withSource])).toBe(`${line}\n${line}\n`);
    for (const [edited, field] of [
      [line.replace(/\}$/, ',"extra":1}'), "extra"],
      [line.replace('"code":"unset"', '"code":"unset","note":"x"'), "status.note"],
      [line.replace('"name":"e",', '"name":"e","dropped":true,'), "events[0].dropped"],
    ] as const) {
      await expect(seal([line, edited])).rejects.toMatchObject({
        code: "bad-record",
        message: expect.stringMatching(
          new RegExp(
            `fields-2-\\d+\\.jsonl:2 \\(${field.replace(/[[\].]/g, "\\$&")}\\): not a field of a trailcheck record`,
          ),
        ),
      });
    }
  });
});
