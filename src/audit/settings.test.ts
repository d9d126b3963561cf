import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveAuditSettings } from "./settings.js";

async function project(config: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "trailcheck-audit-settings-"));
  await writeFile(join(dir, "trailcheck.config.yaml"), config);
  return dir;
}

describe("audit settings", () => {
  it("reads audit: from the project config, paths relative to it, and lets flags win", async () => {
    const dir = await project(
      "profile: eu-ai-act\naudit:\n  stores: [file:exports/traces.json]\n  minRuns: 5\n  alpha: 0.01\n  state: state/audit.json\n  profile: pci-dss-4\n",
    );
    const fromFile = await resolveAuditSettings({}, dir);
    expect(fromFile).toMatchObject({
      stores: ["file:exports/traces.json"],
      storeBase: dir,
      minRuns: 5,
      alpha: 0.01,
      state: join(dir, "state/audit.json"),
      profile: "pci-dss-4",
      format: "text",
    });
    const flagged = await resolveAuditSettings({ store: ["s3:bucket"], minRuns: "7", profile: "hipaa" }, dir);
    expect(flagged).toMatchObject({ stores: ["s3:bucket"], minRuns: 7, alpha: 0.01, profile: "hipaa" });
  });

  it("falls back to the project's profile and the defaults", async () => {
    const dir = await project("profile: eu-ai-act\n");
    expect(await resolveAuditSettings({ store: ["x"] }, dir)).toMatchObject({
      profile: "eu-ai-act",
      minRuns: 50,
      alpha: 0.001,
    });
  });

  it("names the file and field of a bad audit: section, and needs a store", async () => {
    const dir = await project("audit:\n  minRuns: 0\n");
    await expect(resolveAuditSettings({}, dir)).rejects.toThrow(
      /trailcheck.config.yaml:2:12 \(audit.minRuns\)/,
    );
    const empty = await project("logging: x.yaml\n");
    await expect(resolveAuditSettings({}, empty)).rejects.toThrow(/name at least one store/);
    await expect(resolveAuditSettings({ store: ["x"], alpha: "2" }, empty)).rejects.toThrow(
      "--alpha must be a probability between 0 and 1, not '2'",
    );
  });
});
