import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReplayTarget } from "./target.js";

const root = join(import.meta.dirname, "..", "..");
const INCIDENTS = join(root, "incidents");
const INC_0005 = "INC-0005-reference-agent-refund-payment-arguments-must";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-replay-target-"));
  await copyFile(join(INCIDENTS, `${INC_0005}.run.jsonl`), join(dir, "INC-0009-no-scenario.run.jsonl"));
  await writeFile(
    join(dir, "INC-0009-no-scenario.yaml"),
    `id: INC-0009
title: An Agents SDK run with a custom model
reported: 2026-02-03
source: audit-finding
severity: low
summary: No model call records, so nothing to script.
run: INC-0009-no-scenario.run.jsonl
expect:
  facts: [tool:refund_payment.arguments]
  auditAfter: 30d
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("trailcheck replay's argument", () => {
  it("finds an incident by id (INC-0005, inc-0005 or 5) in the incidents folder", async () => {
    for (const arg of ["INC-0005", "inc-0005", "5"]) {
      const target = await loadReplayTarget(arg, INCIDENTS, root);
      expect(target.kind).toBe("incident");
      expect(target.file).toBe(join(INCIDENTS, `${INC_0005}.yaml`));
      expect(target.scenario.name).toBe("INC-0005");
      expect(target.scenario.turns).toHaveLength(4);
    }
  });

  it("takes an incident file and a scenario file by path", async () => {
    const incident = await loadReplayTarget(`incidents/${INC_0005}.yaml`, INCIDENTS, root);
    expect(incident.kind === "incident" && incident.incident.incident.expect.facts).toEqual([
      "tool:refund_payment.arguments",
    ]);
    const scenario = await loadReplayTarget(
      "examples/support-agent/scenarios/refund-allowed.yaml",
      INCIDENTS,
      root,
    );
    expect(scenario.kind).toBe("scenario");
    expect(scenario.scenario.name).toBe("refund-allowed");
  });

  it("recognises an incident under another file name by its content", async () => {
    await copyFile(join(INCIDENTS, `${INC_0005}.yaml`), join(dir, "disputed-refund.yaml"));
    await copyFile(join(INCIDENTS, `${INC_0005}.run.jsonl`), join(dir, `${INC_0005}.run.jsonl`));
    const target = await loadReplayTarget("disputed-refund.yaml", dir, dir);
    expect(target.kind).toBe("incident");
    expect(target.scenario.name).toBe("INC-0005");
  });

  it("lists the incidents there are when the id is unknown", async () => {
    await expect(loadReplayTarget("INC-0042", dir, dir)).rejects.toThrow(
      "no incident INC-0042 in ./; there are INC-0009",
    );
  });

  it("refuses an incident without a scenario with exit code 2", async () => {
    const err = await loadReplayTarget("INC-0009", dir, dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2, code: "no-scenario" });
    expect((err as Error).message).toMatch(/INC-0009 has no scenario to replay/);
  });
});
