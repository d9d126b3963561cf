import type { Command } from "commander";
import { type Analysis, analyzeConfig, formatProbability } from "../analyze/analyze.js";
import { REPRESENTATIVE_CONVENTIONS, type RepresentativeConvention } from "../analyze/representative.js";
import { ExitCode, InputError } from "../errors.js";
import { loadProjectLogging, projectProfile } from "../project/judging.js";
import { resolveProject } from "../project/project.js";
import { gapLine } from "../report/terminal.js";
import { escapeTerminal } from "../text/escape.js";
import { addLoggingOptions, parseFormat, printJson, projectFlags, type SettingsFlags } from "./options.js";

interface AnalyzeFlags extends SettingsFlags {
  convention?: string;
  format?: string;
}

function formatAnalysis(a: Analysis, file: string, profileFrom: string): string {
  const lines = [
    escapeTerminal(`trailcheck analyze ${file}`),
    escapeTerminal(
      `profile ${a.profile} (${profileFrom}) · representative runs in the ${a.convention} convention`,
    ),
    "",
  ];
  for (const s of a.streams) {
    const mark = (ok: boolean) => (ok ? "ok" : "GAP");
    lines.push(`stream ${escapeTerminal(s.name)}: ${s.kinds.join(", ") || "(no action kind)"}`);
    lines.push(
      `  retention ${s.retention.configured}${s.retention.required ? ` (required ${s.retention.required}) ${mark(s.retention.ok)}` : ""}`,
    );
    if (s.available.required)
      lines.push(
        `  immediately available ${s.available.configured} (required ${s.available.required}) ${mark(s.available.ok)}`,
      );
    lines.push(
      `  correlation ${s.correlation.kept.join(", ") || "none"}${s.correlation.missing.length ? ` — missing ${s.correlation.missing.join(", ")}` : ""}`,
    );
    lines.push(
      `  integrity ${s.integrity.configured}${s.integrity.required !== "none" ? ` (required ${s.integrity.required}) ${mark(s.integrity.ok)}` : ""}`,
    );
    for (const sampler of s.samplers)
      lines.push(`  ${escapeTerminal(sampler.stage)}: ${escapeTerminal(sampler.detail)}`);
    for (const note of s.notes) lines.push(`  ${escapeTerminal(note)}`);
  }
  lines.push("", "probability that a record is kept (plain run / failed run / run with a policy denial):");
  for (const p of a.probabilities) {
    lines.push(
      `  ${p.stream.padEnd(16)} ${p.kind.padEnd(8)} ${[p.plain, p.failed, p.denied].map(formatProbability).join(" / ")}`,
    );
  }
  for (const u of a.unknown)
    lines.push(
      `  unknown: ${escapeTerminal(u.stage)} ${escapeTerminal(u.construct)}: ${escapeTerminal(u.message)}`,
    );
  lines.push(
    "",
    a.gaps.length === 0 ? "no gap holds for every run" : `${a.gaps.length} gap(s) every run will have:`,
  );
  for (const gap of a.gaps) lines.push(gapLine(gap));
  return `${lines.join("\n")}\n`;
}

export function register(program: Command): void {
  const command = program
    .command("analyze")
    .description(
      "Read a logging config alone: keep probabilities, retention, correlation, integrity and the gaps every run will have.",
    )
    .option(
      "--convention <name>",
      `attribute names of the representative runs: ${REPRESENTATIVE_CONVENTIONS.join(" or ")}`,
      "genai",
    )
    .option("--format <format>", "text or json", "text");
  addLoggingOptions(command).action(async (flags: AnalyzeFlags) => {
    const format = parseFormat(flags.format);
    const convention = flags.convention as RepresentativeConvention;
    if (!REPRESENTATIVE_CONVENTIONS.includes(convention)) {
      throw new InputError(
        "bad-option",
        `--convention must be one of ${REPRESENTATIVE_CONVENTIONS.join(", ")}`,
      );
    }
    const project = await resolveProject({ flags: projectFlags(flags) });
    const logging = await loadProjectLogging(project);
    const { profile, from } = await projectProfile(project, logging);
    const analysis = analyzeConfig(logging.config, profile, convention);
    analysis.unknown.unshift(...logging.unknown);
    if (format === "json") printJson(analysis);
    else process.stdout.write(formatAnalysis(analysis, logging.label, from));
    process.exitCode = analysis.gaps.length === 0 ? ExitCode.ok : ExitCode.gaps;
  });
}
