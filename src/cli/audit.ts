import type { Command } from "commander";
import { runAuditCommand } from "../audit/command.js";
import type { AuditFlags } from "../audit/settings.js";
import { collect } from "./options.js";

export function register(program: Command): void {
  program
    .command("audit")
    .description(
      "Judge every run the production store holds in a window: reconstructable, incomplete (with reasons) or pending; rates and alerts per agent.",
    )
    .option(
      "--store <spec>",
      "file:PATH (collector file export), s3:DIR (awss3exporter layout), otlp:PATH, agents:PATH, sealed:DIR?key=PUB.pem, clickhouse://[user@]host[:port]/db?table=otel_traces (password: CLICKHOUSE_PASSWORD), chdb:DIR?table=otel_traces; repeatable",
      collect,
    )
    .option(
      "--from <time>",
      "window start: ISO 8601 or relative to --now (-1h); default: an hour before --to",
    )
    .option("--to <time>", "window end (exclusive): ISO 8601 or relative to --now; default: --now")
    .option("--now <time>", "the audit's clock, ISO 8601 (default: now); nothing written later is read")
    .option("--baseline <duration>", "the period before --from the window is compared with (default 7d)")
    .option(
      "--grace <duration>",
      "a run with no root yet is pending while its latest span is younger (default 15m)",
    )
    .option("--min-runs <n>", "finished runs a window needs before a rate alert (default 50)")
    .option("--alpha <p>", "the rate alert's significance: P(X ≥ k | n, baseline) below it (default 0.001)")
    .option("--profile <name|file>", "compliance profile: the facts every action must keep")
    .option(
      "--state <file>",
      "keep alert episodes (start, end, peak rate, reasons) in this file between audits",
    )
    .option("--all-runs", "list every run of the window, not only incomplete and pending ones")
    .option(
      "--write-results",
      "ClickHouse stores: store every audited run's verdict in trailcheck_run_audit beside the spans",
    )
    .option("--format <format>", "text, json or openmetrics")
    .option("--output <dir>", "also write audit.json, audit.prom and audit.html into this folder")
    .option(
      "--logging <file>",
      "the native logging config the stores were written by: names the stage of each loss",
    )
    .option("--otelcol <file>", "or the collector config (repeatable, merged in order)", collect)
    .option("--storage <file>", "with --otelcol: retention, correlation and integrity per exporter")
    .option("--config <file>", "project config with an audit: section (default: trailcheck.config.yaml)")
    .option(
      "--ledger <dir>",
      "a guard ledger: every tool call in it must be in the store (action-not-in-trace, not-in-store); repeatable",
      collect,
    )
    .option("--ledger-key <public.pem>", "the public key of signed ledgers")
    .action(async (flags: AuditFlags) => {
      process.exitCode = await runAuditCommand(flags);
    });
}
