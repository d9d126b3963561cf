import { describe, expect, it } from "vitest";
import { thrownInputError } from "../../testing/thrown.js";
import { displaySpec, parseClickHouseSpec, redactSpec } from "./spec.js";

const env = { CLICKHOUSE_PASSWORD: "from-env" };

describe("ClickHouse store specs", () => {
  it("reads clickhouse:// with the HTTP port, the database from the path and the table parameter", () => {
    expect(parseClickHouseSpec("clickhouse://auditor@ch.internal/otel?table=traces", "/", env)).toEqual({
      kind: "server",
      url: "http://ch.internal:8123",
      username: "auditor",
      password: "from-env",
      database: "otel",
      table: "traces",
    });
  });

  it("uses TLS on 8443 with secure=1 or https://, and defaults to default.otel_traces", () => {
    expect(parseClickHouseSpec("clickhouse://ch?secure=1", "/", {})).toMatchObject({
      url: "https://ch:8443",
      username: "default",
      password: "",
      database: "default",
      table: "otel_traces",
    });
    expect(parseClickHouseSpec("https://u:p%40ss@ch.example:9443/db", "/", env)).toMatchObject({
      url: "https://ch.example:9443",
      username: "u",
      password: "p@ss",
      database: "db",
    });
  });

  it("never prints a password: the report names the store without it", () => {
    expect(redactSpec("clickhouse://u:secret@h/db")).toBe("clickhouse://u:****@h/db");
    expect(displaySpec("https://u:secret@h:8443/db?table=t")).toBe("https://u@h:8443/db?table=t");
    // A password not percent-encoded, which the URL parser can't read: none of it is printed.
    for (const spec of [
      "clickhouse://u:pw1/pw2@h/db",
      "clickhouse://u:pw1?pw2@h/db",
      "clickhouse://u:pw1@pw2@h/db",
    ]) {
      expect(redactSpec(spec)).toBe("clickhouse://u:****@h/db");
      expect(displaySpec(spec)).toBe("clickhouse://u@h/db");
    }
    for (const spec of ["clickhouse://u:pw1/pw2@h/db", "clickhouse://u:pw1?pw2@h/db"]) {
      expect(thrownInputError(() => parseClickHouseSpec(spec, "/", {})).message).not.toMatch(/pw1|pw2/);
    }
    const err = thrownInputError(() => parseClickHouseSpec("clickhouse://u:secret@h/db?tabel=x", "/", {}));
    expect(err.message).not.toContain("secret");
    expect(err.message).toMatchInlineSnapshot(
      `"'clickhouse://u:****@h/db?tabel=x': a ClickHouse store takes 'table', 'secure', not 'tabel'"`,
    );
  });

  it("reads chdb:PATH relative to the base folder, with table= and database=", () => {
    expect(parseClickHouseSpec("chdb:data/ch?table=spans&database=otel", "/srv", {})).toEqual({
      kind: "chdb",
      path: "/srv/data/ch",
      database: "otel",
      table: "spans",
    });
  });

  it("refuses specs that name no host, several databases or a bad secure flag", () => {
    expect(thrownInputError(() => parseClickHouseSpec("clickhouse:///db", "/", {})).code).toBe("bad-store");
    expect(thrownInputError(() => parseClickHouseSpec("clickhouse://h/a/b", "/", {})).message).toContain(
      "names one database",
    );
    expect(
      thrownInputError(() => parseClickHouseSpec("clickhouse://h?secure=yes", "/", {})).message,
    ).toContain("secure= takes 1 or 0");
    expect(thrownInputError(() => parseClickHouseSpec("chdb:?table=t", "/", {})).message).toContain(
      "names no data directory",
    );
  });
});
