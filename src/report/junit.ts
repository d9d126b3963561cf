import type { Gap } from "../model/gap.js";
import { recordsGaps } from "./assemble.js";
import { findingKey } from "./findings.js";
import type { Results, TestEntry } from "./results.js";

/** Characters XML 1.0 forbids outright (controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. */
const INVALID_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML element content and attribute values alike. */
export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;");
}

const attr = (name: string, value: string | number) => `${name}="${xmlEscape(String(value))}"`;
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * A failing test's gaps, one line per finding (×n when several gaps share it), each distinct fix once
 * and one gap's message as an example: a few lines however many gaps a run lost to one cause.
 */
function gapsText(gaps: readonly Gap[]): string {
  const findings = new Map<string, { gap: Gap; count: number }>();
  for (const g of gaps) {
    const key = findingKey(g);
    const seen = findings.get(key);
    if (seen) seen.count++;
    else findings.set(key, { gap: g, count: 1 });
  }
  const lines = [...findings.values()].map(
    ({ gap: g, count }) =>
      `${g.severity} ${g.cause} ${g.action.kind}:${g.action.name}.${g.fact} @ ${g.stage}${count > 1 ? ` ×${count}` : ""}`,
  );
  const fixes = [...new Set(gaps.map((g) => `fix (${g.cause}): ${g.hint}`))];
  return [...lines, ...fixes, `e.g. ${gaps[0]!.message}`].join("\n");
}

const failing = (t: TestEntry) => t.state === "failed" || recordsGaps(t);

function testcase(t: TestEntry): string {
  const lines = [
    `    <testcase ${[
      attr("classname", t.kind),
      attr("name", t.name),
      attr("file", t.file),
      attr("time", seconds(t.durationMs)),
    ].join(" ")}>`,
    `      <properties><property ${attr("name", "trailcheck.id")} ${attr("value", t.id)}/></properties>`,
  ];
  if (t.state === "skipped") {
    lines.push(t.skipReason ? `      <skipped ${attr("message", t.skipReason)}/>` : "      <skipped/>");
  }
  // A test that recorded a gap fails the run whatever its own state (verdictOf), and so its testcase.
  if (failing(t)) {
    const gaps = (t.result?.verdicts ?? []).flatMap((v) => v.gaps);
    const message =
      gaps.length > 0
        ? `${gaps.length} gap(s) in ${new Set(gaps.map(findingKey)).size} finding(s): ${[...new Set(gaps.map((g) => g.cause))].join(", ")}`
        : (t.failures[0]?.split("\n")[0] ?? "failed");
    const body = [...(gaps.length > 0 ? [gapsText(gaps)] : []), ...t.failures].join("\n\n");
    lines.push(
      `      <failure ${attr("message", message)} ${attr("type", gaps.length > 0 ? "gaps" : "error")}>${xmlEscape(body)}</failure>`,
    );
  }
  lines.push("    </testcase>");
  return lines.join("\n");
}

/**
 * JUnit XML: one testsuite per suite file, one testcase per incident, property, check or replay; a
 * failure names its gaps by finding, a skipped test says why.
 */
export function formatJunit(results: Results): string {
  const files = [...new Set(results.tests.map((t) => t.file))];
  const time = (tests: readonly TestEntry[]) => seconds(tests.reduce((n, t) => n + t.durationMs, 0));
  const count = (tests: readonly TestEntry[], state: TestEntry["state"]) =>
    tests.filter((t) => t.state === state).length;
  const failures = (tests: readonly TestEntry[]) => tests.filter(failing).length;
  const suites = files.map((file) => {
    const tests = results.tests.filter((t) => t.file === file);
    return [
      `  <testsuite ${[
        attr("name", file),
        attr("tests", tests.length),
        attr("failures", failures(tests)),
        attr("errors", 0),
        attr("skipped", count(tests, "skipped")),
        attr("time", time(tests)),
        attr("timestamp", results.generatedAt),
      ].join(" ")}>`,
      ...tests.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  if (results.errors.length > 0) {
    suites.push(
      [
        `  <testsuite ${attr("name", "errors outside tests")} tests="1" failures="0" errors="1" skipped="0" time="0">`,
        `    <testcase classname="error" name="errors outside tests" time="0">`,
        `      <error ${attr("message", results.errors[0]!.split("\n")[0]!)}>${xmlEscape(results.errors.join("\n\n"))}</error>`,
        "    </testcase>",
        "  </testsuite>",
      ].join("\n"),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${[
      attr("name", "trailcheck"),
      attr("tests", results.totals.tests + (results.errors.length > 0 ? 1 : 0)),
      attr("failures", failures(results.tests)),
      attr("errors", results.errors.length > 0 ? 1 : 0),
      attr("skipped", results.totals.skipped),
      attr("time", time(results.tests)),
    ].join(" ")}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
