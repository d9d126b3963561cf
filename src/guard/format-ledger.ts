import { formatFindingsText } from "../integrity/findings.js";
import { escapeTerminal } from "../text/escape.js";
import type { LedgerReading } from "./read-ledger.js";
import type { LedgerRecord } from "./records.js";

const short = (id: string | undefined) => (id ? id.slice(0, 8) : "-");

function compact(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per record: time, type, what it is about, and the trace/span it joins. */
function recordLine(r: LedgerRecord): string {
  const where = "traceId" in r || "spanId" in r ? `trace ${short(r.traceId)} span ${short(r.spanId)}` : "";
  const what = (() => {
    switch (r.type) {
      case "tool-call.start":
        return `${r.toolName} ${r.callId} ${r.argumentsSha256 ? `args sha256 ${r.argumentsSha256.slice(0, 12)}` : `args ${compact(r.arguments)}`}`;
      case "tool-call.end":
        return `${r.toolName} ${r.callId} ${r.outcome}${r.outcome !== "error" ? "" : r.errorSha256 ? `: error sha256 ${r.errorSha256.slice(0, 12)}` : `: ${compact(r.error)}`}`;
      case "policy":
        return `${r.name} ${r.decision}${r.reason ? ` (${compact(r.reason)})` : ""}${r.callId ? ` ${r.toolName ?? ""} ${r.callId}` : ""}`;
      case "run.failed":
        return compact(r.error);
      case "ledger.recovered":
        return `${r.file}${r.torn ? `: cut a torn record of ${r.torn.bytes} byte(s) at ${r.torn.offset}` : ""}${r.lost ? `; ${r.lost} indexed record(s) lost` : ""}`;
    }
  })();
  return escapeTerminal(`${r.at}  ${r.type.padEnd(16)} ${what}${where ? `  ${where}` : ""}`);
}

/** The terminal view of `trailcheck ledger show`. */
export function formatLedgerText(dir: string, reading: LedgerReading): string {
  const how =
    reading.checked === "signatures"
      ? "signatures verified"
      : "unsigned: records checked against their leaf index, not tamper-evident";
  const head = escapeTerminal(`ledger ${dir} · ${reading.records.length} record(s) · ${how}`);
  const summary = `${reading.stats.records} records in ${reading.stats.segments} segment(s), ${reading.stats.checkpoints} checkpoint(s)`;
  return `${[head, "", ...reading.records.map(recordLine), ""].join("\n")}\n${formatFindingsText({ version: 1, valid: reading.valid, findings: [...reading.findings] }, summary)}`;
}
