import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIncidentShow } from "../cli/incident.js";
import { loadReplayTarget } from "../replay/target.js";
import { listIncidents } from "./list.js";
import { discoverIncidents } from "./load.js";

// Two branches that each ran `incident add` take the same next id; merged, the folder holds two files
// with one id. Which incident `replay INC-0005` meant cannot be told, and results are matched by id.
const INCIDENTS = join(import.meta.dirname, "..", "..", "incidents");
const INC_0005 = "INC-0005-reference-agent-refund-payment-arguments-must";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-duplicate-id-"));
  for (const slug of ["refund-a", "refund-b"]) {
    await copyFile(join(INCIDENTS, `${INC_0005}.run.jsonl`), join(dir, `INC-0005-${slug}.run.jsonl`));
    const yaml = (await readFile(join(INCIDENTS, `${INC_0005}.yaml`), "utf8")).replace(
      `${INC_0005}.run.jsonl`,
      `INC-0005-${slug}.run.jsonl`,
    );
    await writeFile(join(dir, `INC-0005-${slug}.yaml`), yaml);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("incident files that share an id", () => {
  it("are marked when discovered, each with the other", async () => {
    const entries = await discoverIncidents(dir);
    expect(entries.map((e) => e.sameId?.map((f) => f.slice(dir.length + 1)))).toEqual([
      ["INC-0005-refund-b.yaml"],
      ["INC-0005-refund-a.yaml"],
    ]);
  });

  it("are refused by replay and incident show (exit 2, naming both files), never one picked", async () => {
    const err = await loadReplayTarget("INC-0005", dir, dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2, code: "duplicate-incident" });
    expect((err as Error).message).toMatch(
      /INC-0005 is the id of 2 files \(INC-0005-refund-a\.yaml, INC-0005-refund-b\.yaml\)/,
    );
    const io = { out: () => {}, err: () => {}, cwd: dir, today: () => "2026-01-01" };
    const show = await runIncidentShow("5", { dir }, io).catch((e: unknown) => e);
    expect(show).toMatchObject({ exitCode: 2, code: "duplicate-incident" });
  });

  it("are listed as invalid", async () => {
    const listing = await listIncidents(dir);
    expect(listing.loaded).toEqual([]);
    expect(listing.invalid.map((i) => i.error)).toEqual([
      expect.stringMatching(/is the id of 2 files/),
      expect.stringMatching(/is the id of 2 files/),
    ]);
  });
});
