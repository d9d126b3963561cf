import type { Scalar } from "yaml";

/**
 * A YAML scalar as the collector reads it. The collector parses its config files (and every `${env:…}`
 * value) with gopkg.in/yaml.v3 into `any` (confmap/provider.go NewRetrievedFromYAML), and yaml.v3 resolves
 * plain scalars by its own rules (resolve.go `resolve`, decode.go `decoder.scalar`), which differ from
 * YAML 1.2's core schema that the `yaml` package reads: `017` is octal 15 (strconv.ParseInt base 0),
 * `1_000` is 1000 (underscores are dropped), `0b101` is 5, `08` and `5.0` are float64, `!!binary` is the
 * decoded text, a tag it does not know leaves the text a string, and a number too large for float64
 * (`1e400`) stays a string. The kind matters beyond the value: a float64 becomes a pdata Double
 * (pcommon Value.FromRaw), an int an Int.
 */
export type GoScalar =
  | { readonly kind: "null" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number };

/** What decoding a scalar failed with, as yaml.v3 words it. */
export class GoYamlError extends Error {}

const BOOLS: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
};
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS: Record<string, number> = {
  ".nan": Number.NaN,
  ".NaN": Number.NaN,
  ".NAN": Number.NaN,
  ".inf": Number.POSITIVE_INFINITY,
  ".Inf": Number.POSITIVE_INFINITY,
  ".INF": Number.POSITIVE_INFINITY,
  "+.inf": Number.POSITIVE_INFINITY,
  "+.Inf": Number.POSITIVE_INFINITY,
  "+.INF": Number.POSITIVE_INFINITY,
  "-.inf": Number.NEGATIVE_INFINITY,
  "-.Inf": Number.NEGATIVE_INFINITY,
  "-.INF": Number.NEGATIVE_INFINITY,
};

/** resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt/ParseUint with base 0 (sign, then 0x / 0o / 0b / a leading 0 for octal), unbounded. */
function parseGoInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2]!;
  let n: bigint;
  if (/^0[xXoObB]/.test(digits)) n = BigInt(digits.toLowerCase());
  else if (digits.length > 1 && digits[0] === "0") n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  return m[1] === "-" ? -n : n;
}

/** strconv.ParseFloat on text that matches yamlStyleFloat: undefined when out of float64's range. */
function parseGoFloat(text: string): number | undefined {
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether text is a timestamp yaml.v3 would try (resolve.go parseTimestamp: it starts `YYYY-`). */
function looksLikeTimestamp(text: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.test(
    text,
  );
}

/** resolve.go `resolve` for an untagged plain scalar. */
function resolvePlain(text: string): GoScalar {
  if (NULLS.has(text)) return { kind: "null" };
  if (text in BOOLS) return { kind: "bool", value: BOOLS[text]! };
  if (text in SPECIAL_FLOATS) return { kind: "float", value: SPECIAL_FLOATS[text]! };
  const first = text[0]!;
  if (first === ".") {
    const f = YAML_STYLE_FLOAT.test(text) ? parseGoFloat(text) : undefined;
    return f === undefined ? { kind: "str", value: text } : { kind: "float", value: f };
  }
  if (!/[0-9+-]/.test(first)) return { kind: "str", value: text };
  // A timestamp decoded into `any` is kept as its text (decode.go: "for backward compatibility").
  if (looksLikeTimestamp(text)) return { kind: "str", value: text };
  const plain = text.replaceAll("_", "");
  const n = parseGoInteger(plain);
  // ParseInt, then ParseUint: int64 or uint64; beyond both the text may still be a float.
  if (n !== undefined && n >= INT64_MIN && n <= UINT64_MAX) return { kind: "int", value: n };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseGoFloat(plain);
    if (f !== undefined) return { kind: "float", value: f };
  }
  // `0o17` (YAML 1.2 octal) and `0b…` ParseInt already read; a negative `-0o…`/`-0b…` too.
  return { kind: "str", value: text };
}

/**
 * One scalar as yaml.v3 decodes it into `any`: `text` as written (unquoted for plain scalars), whether
 * it was quoted or a block scalar (always a string), and its tag if one was written.
 */
export function goYamlScalar(text: string, quoted: boolean, tag?: string): GoScalar {
  const short = tag?.replace(/^tag:yaml\.org,2002:/, "!!");
  // decode.go indicatedString: quoted and block scalars without a tag of their own are strings.
  if (short === "!!str" || (quoted && (short === undefined || short === "!")))
    return { kind: "str", value: text };
  if (short === "!!binary") {
    const clean = text.replace(/\s+/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) {
      throw new GoYamlError("!!binary value contains invalid base64 data");
    }
    return { kind: "str", value: Buffer.from(clean, "base64").toString("latin1") };
  }
  const known = ["!!bool", "!!int", "!!float", "!!null", "!!timestamp"];
  if (short !== undefined && !known.includes(short)) return { kind: "str", value: text };
  const resolved = resolvePlain(text);
  if (short === undefined || short === "!!timestamp") return resolved;
  const wanted = short.slice(2);
  if (resolved.kind === wanted) return resolved;
  // An int written under !!float is read as that float (the deferred check in resolve).
  if (wanted === "float" && resolved.kind === "int" && resolved.value <= INT64_MAX) {
    return { kind: "float", value: Number(resolved.value) };
  }
  throw new GoYamlError(`cannot decode !!${resolved.kind} \`${text}\` as a ${short}`);
}

/**
 * The JS value a resolved scalar is kept as in a config tree: numbers as numbers (an int beyond 2^53
 * rounded, a uint64 beyond int64 as its two's complement, as mapstructure and FromRaw take it), and
 * whether it is a float64, which the value-types table notes where the number is integral.
 */
export function goScalarValue(s: GoScalar): { value: unknown; float: boolean } {
  switch (s.kind) {
    case "null":
      return { value: null, float: false };
    case "int":
      return { value: Number(BigInt.asIntN(64, s.value)), float: false };
    case "float":
      return { value: s.value, float: true };
    default:
      return { value: s.value, float: false };
  }
}

/** A scalar node of the `yaml` package as yaml.v3 decodes it (see goYamlScalar). */
export function goYamlNode(node: Scalar): GoScalar {
  const text = typeof node.source === "string" ? node.source : String(node.value ?? "");
  return goYamlScalar(text, node.type !== undefined && node.type !== "PLAIN", node.tag);
}

/**
 * Whether a plain scalar is written as a float (`5.0`, `5.`, `1e3`, `.5`): YAML 1.2's core schema and
 * yaml.v3 both read it as a float64, so a collector makes a pdata Double of it even where its value is
 * integral and JS holds it as the same number as the int.
 */
export function isFloatLiteral(text: string): boolean {
  return YAML_STYLE_FLOAT.test(text) && !/^[-+]?[0-9]+$/.test(text);
}
