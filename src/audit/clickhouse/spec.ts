import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../errors.js";

/** Where the spans are: a ClickHouse server over HTTP, or a data directory opened in process by chdb. */
export type ClickHouseTarget =
  | {
      readonly kind: "server";
      /** `http(s)://host:port`, without credentials. */
      readonly url: string;
      readonly username: string;
      /** From the spec, else `CLICKHOUSE_PASSWORD`, else empty. */
      readonly password: string;
      readonly database: string;
      readonly table: string;
    }
  | { readonly kind: "chdb"; readonly path: string; readonly database: string; readonly table: string };

/** The exporter's default table. */
export const DEFAULT_TABLE = "otel_traces";

const SCHEMES = new Set(["clickhouse:", "http:", "https:"]);

function params(spec: string, search: URLSearchParams, known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of search) {
    if (!known.includes(name)) {
      throw new InputError(
        "bad-store",
        `'${redactSpec(spec)}': a ClickHouse store takes ${known.map((k) => `'${k}'`).join(", ")}, not '${name}'`,
      );
    }
    out.set(name, value);
  }
  return out;
}

function tableName(spec: string, given: string | undefined): string {
  const table = given ?? DEFAULT_TABLE;
  if (table === "") throw new InputError("bad-store", `'${redactSpec(spec)}': table= names no table`);
  return table;
}

/**
 * `scheme://user:` and the password after it, up to the spec's last `@`: a password someone did not
 * percent-encode may hold `/`, `?`, `#` or `@`, and a spec that fails to parse is still printed.
 */
const PASSWORD = /^([a-z]+:\/\/[^/@:?#]*):.*@/is;

/** The spec as it may be printed: a password in it is replaced by `****`. */
export function redactSpec(spec: string): string {
  return spec.replace(PASSWORD, "$1:****@");
}

/** The spec as the report and incident commands name it: no password (it comes from CLICKHOUSE_PASSWORD). */
export function displaySpec(spec: string): string {
  return spec.replace(PASSWORD, "$1@");
}

/**
 * Parses `clickhouse://[user[:password]@]host[:port]/database?table=otel_traces[&secure=1]`, the same
 * as `http://` or `https://` (port 8123, or 8443 when secure), and `chdb:PATH?table=otel_traces[&database=…]`.
 * The password may come from `env.CLICKHOUSE_PASSWORD` instead of the spec.
 */
export function parseClickHouseSpec(
  spec: string,
  base: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ClickHouseTarget {
  if (spec.startsWith("chdb:")) {
    const rest = spec.slice("chdb:".length);
    const q = rest.indexOf("?");
    const path = q < 0 ? rest : rest.slice(0, q);
    if (path === "")
      throw new InputError("bad-store", `'${spec}' names no data directory: chdb:PATH?table=…`);
    const p = params(spec, new URLSearchParams(q < 0 ? "" : rest.slice(q + 1)), ["table", "database"]);
    return {
      kind: "chdb",
      path: isAbsolute(path) ? path : resolve(base, path),
      database: p.get("database") || "default",
      table: tableName(spec, p.get("table")),
    };
  }
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new InputError(
      "bad-store",
      `'${redactSpec(spec)}' is not a ClickHouse URL: clickhouse://[user[:password]@]host[:port]/database?table=otel_traces`,
    );
  }
  if (!SCHEMES.has(url.protocol) || url.hostname === "") {
    throw new InputError(
      "bad-store",
      `'${redactSpec(spec)}' is not a ClickHouse URL: clickhouse://[user[:password]@]host[:port]/database?table=otel_traces`,
    );
  }
  const p = params(spec, url.searchParams, ["table", "secure"]);
  const secureParam = p.get("secure");
  if (secureParam !== undefined && !["0", "1", "true", "false"].includes(secureParam)) {
    throw new InputError("bad-store", `'${redactSpec(spec)}': secure= takes 1 or 0, not '${secureParam}'`);
  }
  const secure = url.protocol === "https:" || secureParam === "1" || secureParam === "true";
  const segments = url.pathname.split("/").filter((s) => s !== "");
  if (segments.length > 1) {
    throw new InputError(
      "bad-store",
      `'${redactSpec(spec)}': the path names one database, not '${url.pathname}'`,
    );
  }
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new InputError("bad-store", `'${redactSpec(spec)}': '${s}' is not percent-encoded correctly`);
    }
  };
  const port = url.port || (secure ? "8443" : "8123");
  return {
    kind: "server",
    url: `${secure ? "https" : "http"}://${url.hostname}:${port}`,
    username: url.username ? decode(url.username) : "default",
    password: url.password ? decode(url.password) : (env.CLICKHOUSE_PASSWORD ?? ""),
    database: segments[0] ? decode(segments[0]) : "default",
    table: tableName(spec, p.get("table")),
  };
}
