// Production stores for `trailcheck audit`, made from real runs: the reference agent's recordings
// (examples/audit/recordings/, see record-runs.ts) and the traces of examples/traces/, time-shifted over
// a day and an hour, pushed through the example logging configs by the pipeline model and written as a
// collector file exporter directory (rotated, gzipped backups) or the awss3exporter layout.
//
//   node bin/run-ts.js examples/audit/fixtures.ts [DIR]      # writes DIR/file-export and DIR/s3
//
// The story, at NOW = 2026-01-15T10:00Z with a one-day baseline:
// - `support-agent` (the reference agent, 4 runs an hour) runs through examples/logging/passing.yaml
//   until 09:30, when a filter meant for noisy tool spans (examples/logging/filter.yaml) goes live:
//   from then on its tool spans are dropped — a rate alert. Two runs are still running at NOW: pending.
// - `billing-agent` (the GenAI-semconv traces) runs through examples/logging/redaction.yaml all along:
//   incomplete at a steady rate (tool arguments deleted), so no alert.
// - `triage-agent` (the OpenInference traces) ran in the baseline and stops at 08:00: silence.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { StoreWriter, type StoreWriterOptions } from "../../src/audit/store-writer.js";
import { loadLoggingConfig } from "../../src/config/logging.js";
import { readRecords } from "../../src/ingest/index.js";
import type { LoggingConfig } from "../../src/model/logging-config.js";
import type { SpanRecord } from "../../src/model/record.js";
import { simulate } from "../../src/pipeline/index.js";

const here = import.meta.dirname;
const MINUTE = 60_000_000_000n;
export const NOW = "2026-01-15T10:00:00Z";
const NOW_NS = BigInt(Date.parse(NOW)) * 1_000_000n;
/** The audit command the fixtures are made for: window the last hour, baseline the day before. */
export const AUDIT_FLAGS = ["--now", NOW, "--baseline", "1d"] as const;

async function records(file: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const r of readRecords(file)) out.push(r);
  return out;
}

/** A copy of a run under a new trace id, starting at `start`, with its service renamed. */
export function shiftRun(
  run: readonly SpanRecord[],
  start: bigint,
  seed: string,
  service: string,
): SpanRecord[] {
  const first = run.reduce((m, r) => (BigInt(r.start) < m ? BigInt(r.start) : m), BigInt(run[0]!.start));
  const delta = start - first;
  const traceId = createHash("sha256").update(seed).digest("hex").slice(0, 32);
  const at = (t: string) => (BigInt(t) + delta).toString();
  return run.map((r) => ({
    ...r,
    traceId,
    start: at(r.start),
    end: at(r.end),
    events: r.events.map((e) => ({ ...e, time: at(e.time) })),
    resource: { ...r.resource, "service.name": service },
  }));
}

interface Planned {
  readonly records: SpanRecord[];
  readonly config: LoggingConfig;
}

/** Every run of the story with the config it passes through, in start order. */
export async function plannedRuns(): Promise<Planned[]> {
  const recordings = readdirSync(join(here, "recordings"))
    .sort()
    .map((f) => join(here, "recordings", f));
  const support = await Promise.all(recordings.map(records));
  const billing = [
    await records(join(here, "../traces/genai-semconv.otlp.json")),
    await records(join(here, "../traces/genai-semconv-denied.otlp.json")),
  ];
  const triage = [await records(join(here, "../traces/openinference.otlp.json"))];
  const config = async (name: string) => loadLoggingConfig(join(here, "../logging", name));
  const passing = await config("passing.yaml");
  const filtered = await config("filter.yaml");
  const redacted = await config("redaction.yaml");

  const out: Planned[] = [];
  const dayStart = NOW_NS - 25n * 60n * MINUTE;
  // support-agent: every 15 minutes from a day and an hour ago; the filter goes live at 09:30.
  for (let i = 0; BigInt(i) * 15n * MINUTE < 25n * 60n * MINUTE; i++) {
    const start = dayStart + BigInt(i) * 15n * MINUTE + 7n * MINUTE;
    const source = support[i % support.length]!;
    const live = start >= NOW_NS - 30n * MINUTE;
    out.push({
      records: shiftRun(source, start, `support-${i}`, "support-agent"),
      config: live ? filtered : passing,
    });
  }
  // More support-agent runs in the window, so it has enough finished runs for a rate alert.
  for (let i = 0; i < 56; i++) {
    const start = NOW_NS - 60n * MINUTE + BigInt(i) * MINUTE + 20_000_000_000n;
    const live = start >= NOW_NS - 30n * MINUTE;
    out.push({
      records: shiftRun(support[i % support.length]!, start, `support-window-${i}`, "support-agent"),
      config: live ? filtered : passing,
    });
  }
  // Two runs still going at NOW: their roots end just after it, every other span before.
  for (let i = 0; i < 2; i++) {
    const source = support[i]!;
    const root = source.find((r) => r.parentSpanId === undefined)!;
    const start = NOW_NS - (BigInt(root.end) - BigInt(root.start)) + 10_000_000n;
    out.push({ records: shiftRun(source, start, `support-pending-${i}`, "support-agent"), config: passing });
  }
  // billing-agent: every 30 minutes, through the redaction allow-list.
  for (let i = 0; BigInt(i) * 30n * MINUTE < 25n * 60n * MINUTE; i++) {
    const start = dayStart + BigInt(i) * 30n * MINUTE + 11n * MINUTE;
    out.push({
      records: shiftRun(billing[i % 2]!, start, `billing-${i}`, "billing-agent"),
      config: redacted,
    });
  }
  // triage-agent: hourly until 08:00, then nothing.
  for (let i = 0; dayStart + BigInt(i) * 60n * MINUTE < NOW_NS - 120n * MINUTE; i++) {
    const start = dayStart + BigInt(i) * 60n * MINUTE + 3n * MINUTE;
    out.push({ records: shiftRun(triage[0]!, start, `triage-${i}`, "triage-agent"), config: passing });
  }
  return out;
}

/**
 * Pushes the planned runs through their configs: what the stores keep, with the stream that kept it, in
 * write order. Spans ending after NOW are not written yet.
 */
export async function storedRecords(
  streams?: (stream: string) => boolean,
): Promise<{ record: SpanRecord; stream: string }[]> {
  const stored: { record: SpanRecord; stream: string }[] = [];
  for (const { records, config } of await plannedRuns()) {
    const view = simulate(records, config, { auditAfterNs: 60n * MINUTE });
    for (const s of view.stored) {
      if (BigInt(s.record.end) > NOW_NS || (streams && !streams(s.stream))) continue;
      const { source: _source, stream: _stream, ...plain } = s.record;
      stored.push({ record: plain, stream: s.stream });
    }
  }
  return stored.sort((a, b) => {
    const x = BigInt(a.record.end);
    const y = BigInt(b.record.end);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Writes what `storedRecords` gives as a store, one series per stream. */
export async function writeStores(
  dir: string,
  options: Omit<StoreWriterOptions, "dir">,
  streams?: (stream: string) => boolean,
): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  const writer = new StoreWriter({ dir, ...options });
  for (const { record, stream } of await storedRecords(streams)) writer.add(record, stream);
  writer.close();
  return writer.files;
}

/** Both layouts of the same production data. */
export async function writeExampleStores(dir: string): Promise<{ fileExport: string; s3: string }> {
  const fileExport = join(dir, "file-export");
  const s3 = join(dir, "s3");
  await writeStores(fileExport, {
    layout: "file",
    maxBytes: 512 * 1024,
    gzip: true,
    batchSize: 32,
    delayNs: 2_000_000_000n,
  });
  await writeStores(s3, { layout: "s3", gzip: true, batchSize: 32, delayNs: 2_000_000_000n });
  return { fileExport, s3 };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(here, "fixtures.ts")) {
  const dir = resolve(process.argv[2] ?? join(here, "stores"));
  const { fileExport, s3 } = await writeExampleStores(dir);
  process.stdout.write(`${fileExport}\n${s3}\n`);
  process.stdout.write(`try: npx trailcheck audit --store ${fileExport} ${AUDIT_FLAGS.join(" ")}\n`);
}
