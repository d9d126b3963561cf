// biome-ignore-all lint/suspicious/noTemplateCurlyInString: collector config text, not templates
import { describe, expect, it } from "vitest";
import type { Location } from "../errors.js";
import { type ExpansionNote, expandString } from "./env-expand.js";

const where = (): Location => ({ file: "c.yaml", field: "exporters.otlp.endpoint" });

function expand(text: string, env: Record<string, string | undefined> = {}) {
  const notes: ExpansionNote[] = [];
  return { value: expandString(text, env, ["x"], notes, where), notes: notes.map((n) => n.message) };
}

describe("expandString", () => {
  it("expands ${env:VAR} and ${VAR} inside text", () => {
    expect(expand("http://${env:HOST}:${PORT}/v1", { HOST: "collector", PORT: "4318" }).value).toBe(
      "http://collector:4318/v1",
    );
  });

  it("uses the default only when the variable is unset, not when it is empty", () => {
    expect(expand("${env:PCT:-10}").value).toBe(10);
    expect(expand("${env:PCT:-10}", { PCT: "25" }).value).toBe(25);
    expect(expand("${env:PCT:-10}", { PCT: "" }).value).toBe(null);
    expect(expand("x-${env:NAME:-a b}").value).toBe("x-a b");
  });

  it("reads an unset variable as empty and says so", () => {
    const r = expand("key=${env:MISSING}");
    expect(r.value).toBe("key=");
    expect(r.notes).toMatchInlineSnapshot(`
      [
        "environment variable MISSING is not set; the collector reads it as an empty string",
      ]
    `);
  });

  it("treats $$ as a literal dollar, so $${env:X} is not expanded", () => {
    expect(expand("$${env:X} and $$5", { X: "no" }).value).toBe("${env:X} and $5");
    expect(expand("price $5").value).toBe("price $5");
  });

  it("types a value that is a single reference as YAML does, and keeps text otherwise", () => {
    expect(expand("${env:ON}", { ON: "true" }).value).toBe(true);
    expect(expand("${env:SEED}", { SEED: "22" }).value).toBe(22);
    expect(expand("v${env:SEED}", { SEED: "22" }).value).toBe("v22");
    expect(expand("${env:S}", { S: "[1, 2]" }).value).toBe("[1, 2]");
  });

  it("keeps other providers as written and reports them", () => {
    const r = expand("${file:/etc/otel/key}");
    expect(r.value).toBe("${file:/etc/otel/key}");
    expect(r.notes).toMatchInlineSnapshot(`
      [
        "the "file" config provider is not read by trailcheck; the value is kept as written",
      ]
    `);
  });

  it("rejects an invalid variable name as the collector does", () => {
    expect(() => expand("${env:1BAD}")).toThrowErrorMatchingInlineSnapshot(
      `[InputError: c.yaml (exporters.otlp.endpoint): environment variable "1BAD" has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$]`,
    );
  });
});
