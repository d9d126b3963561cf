import { readdir, stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import { checkInputFile } from "../files/read-input.js";
import { detectFormat } from "../ingest/detect.js";
import type { AuditStore } from "./store.js";
import { fileExportStore } from "./stores/file-export.js";
import { isGzip } from "./stores/read-export.js";
import { s3LayoutStore } from "./stores/s3-layout.js";
import { sealedLogStore } from "./stores/sealed-log.js";
import { traceFilesStore } from "./stores/trace-files.js";

/** The store kinds a `--store` spec names, each with what it reads. */
export const STORE_KINDS = {
  file: "collector file exporter output: a file with its rotated backups, or a directory (gzip too)",
  s3: "the awss3exporter layout: year=/month=/day=/hour=/minute= partitions of .json or .binpb objects",
  otlp: "OTLP JSON files (one file or a directory)",
  agents: "OpenAI Agents SDK trace exports (one file or a directory)",
  sealed: "a sealed log directory, verified while read: sealed:DIR?key=public.pem[&trusted=checkpoint]",
  clickhouse:
    "the ClickHouse exporter's table over HTTP: clickhouse://[user[:password]@]host[:port]/database?table=otel_traces[&secure=1] (password also from CLICKHOUSE_PASSWORD)",
  https: "the same as clickhouse:// over TLS: https://[user@]host[:port]/database?table=otel_traces",
  http: "the same as clickhouse://",
  chdb: "a ClickHouse data directory opened in process with chdb (optional package): chdb:PATH?table=otel_traces",
} as const;
export type StoreKind = keyof typeof STORE_KINDS;

export interface StoreSpec {
  readonly kind: StoreKind | "auto";
  readonly path: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses `kind:PATH?name=value&…`; a spec without a known kind is a path whose kind is detected. */
export function parseStoreSpec(spec: string): StoreSpec {
  const text = spec.trim();
  if (text === "")
    throw new InputError("bad-store", "--store needs a spec, e.g. file:/var/lib/otelcol/traces.json");
  const m = /^([a-z][a-z0-9+]*):(?!\\)(.*)$/.exec(text);
  const kind = m && m[1]!.length > 1 ? m[1]! : undefined;
  if (kind !== undefined && !Object.hasOwn(STORE_KINDS, kind)) {
    throw new InputError(
      "bad-store",
      `unknown store kind '${kind}' in '${spec}'; stores: ${Object.keys(STORE_KINDS).join(", ")} (or a path)`,
    );
  }
  const rest = kind !== undefined ? m![2]! : text;
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  const params = new Map(q < 0 ? [] : [...new URLSearchParams(rest.slice(q + 1))]);
  if (path === "") throw new InputError("bad-store", `'${spec}' names no path`);
  return { kind: (kind as StoreKind | undefined) ?? "auto", path, params };
}

async function detectKind(path: string): Promise<StoreKind> {
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new InputError("store-not-found", "the store does not exist", { file: path });
  if (s.isDirectory()) {
    const names = await readdir(path);
    if (names.includes("segments") && names.includes("checkpoints")) return "sealed";
    const nested = await Promise.all(
      names.map(
        async (n) =>
          /^year=\d+$/.test(n) ||
          (await readdir(resolve(path, n)).catch(() => [])).some((m) => /^year=\d+$/.test(m)),
      ),
    );
    return nested.some(Boolean) ? "s3" : "file";
  }
  // Telling the format reads the file: a FIFO or a device would block for ever.
  await checkInputFile(path, "the store");
  if (isGzip(path)) return "file";
  const format = await detectFormat(path);
  return format === "collector-jsonl" ? "file" : format === "openai-agents" ? "agents" : "otlp";
}

/** Stores that group runs themselves, in a database. */
const DATABASE_KINDS: ReadonlySet<string> = new Set(["clickhouse", "https", "http", "chdb"]);

/** Opens a `--store` spec; relative paths are resolved against `base` (the config's folder, or the cwd). */
export async function openStore(spec: string, base: string = process.cwd()): Promise<AuditStore> {
  const parsed = parseStoreSpec(spec);
  if (DATABASE_KINDS.has(parsed.kind)) {
    const { openClickHouseStore } = await import("./clickhouse/clickhouse-store.js");
    return openClickHouseStore(spec.trim(), base);
  }
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const path = at(parsed.path);
  const kind = parsed.kind === "auto" ? await detectKind(path) : parsed.kind;
  const known = kind === "sealed" ? ["key", "trusted"] : [];
  for (const name of parsed.params.keys()) {
    if (!known.includes(name)) {
      throw new InputError("bad-store", `'${spec}': the ${kind} store takes no '${name}' parameter`);
    }
  }
  switch (kind as Exclude<StoreKind, "clickhouse" | "https" | "http" | "chdb">) {
    case "file":
      return fileExportStore(path, spec);
    case "s3":
      return s3LayoutStore(path, spec);
    case "otlp":
      return traceFilesStore(path, spec);
    case "agents":
      return traceFilesStore(path, spec, "openai-agents");
    case "sealed": {
      const key = parsed.params.get("key");
      if (!key) {
        throw new InputError(
          "bad-store",
          `'${spec}' is a sealed log: give its public key, sealed:${parsed.path}?key=public.pem`,
        );
      }
      const trusted = parsed.params.get("trusted");
      return sealedLogStore(path, spec, { key: at(key), ...(trusted ? { trusted: at(trusted) } : {}) });
    }
  }
}
