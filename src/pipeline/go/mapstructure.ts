/**
 * A configured value decoded into a typed Go field as the collector does: confmap decodes with
 * mapstructure and WeaklyTypedInput false (confmap/internal/decoder.go), so a string field takes only a
 * string, a bool field only a bool (`yes` or 1 refuse to start the collector), and an int64 field an int,
 * a uint or a float64, truncated toward zero (mapstructure decodeInt: `int64(dataVal.Float())`).
 * Each returns the decoded value, or the collector's complaint.
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

/** The Go type yaml.v3 gives a plain value, as mapstructure names it in its complaints. */
function goTypeName(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

const refused = (name: string, want: string, v: unknown): { ok: false; message: string } => ({
  ok: false,
  message: `'${name}' expected type '${want}', got unconvertible type '${goTypeName(v)}', value: '${typeof v === "object" ? JSON.stringify(v) : String(v)}'`,
});

/** mapstructure decodeString. */
export function decodeGoString(v: unknown, name: string): Decoded<string> {
  return typeof v === "string" ? { ok: true, value: v } : refused(name, "string", v);
}

/** mapstructure decodeBool. */
export function decodeGoBool(v: unknown, name: string): Decoded<boolean> {
  return typeof v === "boolean" ? { ok: true, value: v } : refused(name, "bool", v);
}

/** mapstructure decodeInt into an int64: ints as they are, floats truncated toward zero. */
export function decodeGoInt64(v: unknown, name: string): Decoded<number> {
  return typeof v === "number" && Number.isFinite(v)
    ? { ok: true, value: Math.trunc(v) }
    : refused(name, "int64", v);
}
