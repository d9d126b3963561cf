import type { ClickHouseClient } from "@clickhouse/client";
import { InputError } from "../../errors.js";
import type { ClickHouseTarget } from "./spec.js";

/** The command that installs the embedded ClickHouse, for the message when it is missing. */
export const CHDB_INSTALL = "npm install chdb";

function missing(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/**
 * The chdb data directory's connection for `@clickhouse/client` (`chdb/connection`). chdb is an optional
 * dependency: a large native package that not every installation has.
 */
async function chdbConnection(path: string): Promise<unknown> {
  let mod: { createChdbConnection: (options: { path: string }) => unknown };
  // A name TypeScript doesn't resolve: the package may well be absent.
  const specifier = "chdb/connection";
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    if (missing(err)) {
      throw new InputError(
        "no-chdb",
        `chdb: stores need the embedded ClickHouse, the optional package chdb, which is not installed: ${CHDB_INSTALL}`,
      );
    }
    throw new InputError(
      "no-chdb",
      `the embedded ClickHouse (chdb) does not load on this machine: ${(err as Error).message}; reinstall it (${CHDB_INSTALL}) or audit a ClickHouse server`,
    );
  }
  try {
    return mod.createChdbConnection({ path });
  } catch (err) {
    const text = `${(err as Error).message} ${String((err as { cause?: Error }).cause?.message ?? "")}`;
    if (/Cannot lock file|already running/i.test(text)) {
      throw new InputError(
        "store-unreachable",
        `another process has the ClickHouse data directory open; chdb opens a directory in one process at a time`,
        { file: path },
      );
    }
    throw new InputError("store-unreachable", `chdb cannot open the data directory: ${text.trim()}`, {
      file: path,
    });
  }
}

/**
 * A `@clickhouse/client` client for the target: the HTTP interface of a server, or chdb's in-process
 * connection plugged into the same client, so both run the same queries through the same code.
 */
export async function connect(target: ClickHouseTarget): Promise<ClickHouseClient> {
  if (target.kind === "chdb") {
    const connection = await chdbConnection(target.path);
    const { createClient, ClickHouseLogLevel } = await import("@clickhouse/client");
    return createClient({ connection: connection as never, log: { level: ClickHouseLogLevel.OFF } });
  }
  const { createClient, ClickHouseLogLevel } = await import("@clickhouse/client");
  return createClient({
    // The client logs every failed request with its error's stack to standard error; a store that
    // can't be reached or refuses is reported once, as one line naming it (`storeError`).
    log: { level: ClickHouseLogLevel.OFF },
    url: target.url,
    username: target.username,
    password: target.password,
    database: target.database,
    application: "trailcheck",
    request_timeout: 600_000,
  });
}

const CLICKHOUSE_CODES: Readonly<Record<string, string>> = {
  "60": "unknown-table",
  "81": "unknown-database",
  "516": "authentication-failed",
  "497": "access-denied",
};

/**
 * A client error the user can act on, as an InputError naming the store; anything else (a query this
 * code got wrong) is rethrown unchanged.
 */
export function storeError(err: unknown, where: string): unknown {
  const e = err as { code?: unknown; message?: unknown; type?: unknown };
  const message = typeof e?.message === "string" ? e.message.split("\n")[0]! : String(err);
  if (
    e?.code === "ECONNREFUSED" ||
    e?.code === "ENOTFOUND" ||
    e?.code === "ECONNRESET" ||
    e?.code === "ETIMEDOUT"
  ) {
    return new InputError("store-unreachable", `cannot reach ClickHouse at ${where}: ${message}`);
  }
  if (typeof e?.code === "string" && Object.hasOwn(CLICKHOUSE_CODES, e.code)) {
    return new InputError("store-refused", `ClickHouse at ${where} refused: ${message}`);
  }
  if (/Timeout error|socket hang up|self.signed|certificate/i.test(message)) {
    return new InputError("store-unreachable", `cannot reach ClickHouse at ${where}: ${message}`);
  }
  return err;
}
