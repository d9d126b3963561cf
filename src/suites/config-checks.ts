// The project's logging config on its own: one test per stream — retention, immediate
// availability, integrity and correlation against the profile, and the gaps every run will have there —
// with the exact capture probabilities attached for the report's matrix; and each setting the model does
// not carry out, as a test not run.
import { describe, expect, it } from "vitest";
import { type Analysis, analyzeConfig, type Gap } from "../public/index.js";
import {
  formatGap,
  loadProjectLogging,
  projectProfile,
  recordResult,
  resolveProject,
} from "../public/testing.js";

// The project `trailcheck run` resolved (it hands it over in the environment), else this folder's.
const project = await resolveProject();

async function analyze(): Promise<{ analysis: Analysis; file: string }> {
  const logging = await loadProjectLogging(project);
  const { profile } = await projectProfile(project, logging);
  const analysis = analyzeConfig(logging.config, profile);
  analysis.unknown.unshift(...logging.unknown);
  return { analysis, file: logging.label };
}

// A broken config fails one test with its message (file, line, field) instead of the whole collection.
const loaded =
  project.from.logging !== "none"
    ? await analyze().then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      )
    : undefined;

const failureText = (what: string, gaps: readonly Gap[]) =>
  `${what}: ${gaps.length} gap(s)\n${gaps.map(formatGap).join("\n")}`;

describe("config checks", () => {
  if (!loaded) {
    it.skip("no `logging:` in trailcheck.config.yaml: nothing to check", () => {});
    return;
  }
  if ("error" in loaded) {
    it("config:logging the logging config loads", () => {
      throw loaded.error;
    });
    return;
  }
  const { analysis } = loaded.ok;
  const streamOf = (g: Gap) => g.stream ?? g.stage.split("/")[0];
  const streams = new Set(analysis.streams.map((s) => s.name));

  for (const s of analysis.streams) {
    const title = `stream '${s.name}' keeps what '${analysis.profile}' requires`;
    it(`config:${s.name} ${title}`, ({ task }) => {
      const gaps = analysis.gaps.filter((g) => streamOf(g) === s.name);
      recordResult(task, {
        kind: "check",
        id: `config:${s.name}`,
        title,
        tags: ["config", `stream:${s.name}`],
        verdicts: [{ traceId: "*", reconstructable: gaps.length === 0, gaps }],
        probabilities: analysis.probabilities.filter((p) => p.stream === s.name),
        retention: [
          {
            stream: s.name,
            profile: analysis.profile,
            retention: s.retention,
            available: s.available,
            integrity: s.integrity,
            correlation: s.correlation,
          },
        ],
        profile: analysis.profile,
      });
      expect.soft(s.retention.ok, `retention ${s.retention.configured} < ${s.retention.required}`).toBe(true);
      expect
        .soft(s.available.ok, `immediately available ${s.available.configured} < ${s.available.required}`)
        .toBe(true);
      expect
        .soft(s.integrity.ok, `integrity '${s.integrity.configured}', required ${s.integrity.required}`)
        .toBe(true);
      expect(gaps.length, failureText(`stream '${s.name}'`, gaps)).toBe(0);
    });
  }

  // Gaps no single stream owns: records no stream matches, losses before the pipeline.
  const rest = analysis.gaps.filter((g) => !streams.has(streamOf(g) ?? ""));
  it("config:pipeline every record reaches a stream", ({ task }) => {
    recordResult(task, {
      kind: "check",
      id: "config:pipeline",
      title: "every record reaches a stream",
      tags: ["config"],
      verdicts: [{ traceId: "*", reconstructable: rest.length === 0, gaps: rest }],
      profile: analysis.profile,
    });
    expect(rest.length, failureText("outside any stream", rest)).toBe(0);
  });

  // A setting whose effect is not modelled is judged as if it were absent, by every suite. Each is a test
  // not run, with what it is, so that the report never shows a pass that silently left it out.
  for (const u of analysis.unknown) {
    it(`config:unmodelled ${u.stage} ${u.construct}`, ({ skip }) =>
      skip(`not judged — ${u.message}; every verdict of this run is judged without it`));
  }
});
