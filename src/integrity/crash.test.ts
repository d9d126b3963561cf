// A checkpoint is published whole or not at all: the writer is SIGKILLed at random points while it
// publishes a checkpoint every few records; every checkpoint name then holds a whole, signed
// checkpoint, and the log reopens and verifies.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTempName } from "../files/atomic-write.js";
import { runAndKill } from "../testing/kill-child.js";
import { fixtureRecord } from "../testing/sealed-log.js";
import { cleanupAfterEach, tempDir } from "../testing/temp-dirs.js";
import { openCheckpoint } from "./checkpoint.js";
import { generateKeyPair, parsePrivateKey, parsePublicKey } from "./keys.js";
import { CHECKPOINTS_DIR } from "./store-layout.js";
import { verifyLogDir } from "./verify-log.js";
import { SealedLogWriter } from "./writer.js";

cleanupAfterEach();
const WRITER = join(import.meta.dirname, "testdata", "crash-writer.ts");
const KEYS = generateKeyPair();
const publicKey = parsePublicKey(KEYS.publicPem);

describe("the sealed log writer under SIGKILL", () => {
  it("leaves every checkpoint absent or whole, and a log that reopens valid", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 120 }), async (runMs) => {
        const dir = await tempDir();
        const keyFile = `${dir}.pem`;
        await writeFile(keyFile, KEYS.privatePem);
        try {
          await runAndKill(WRITER, { LOG_DIR: dir, LOG_KEY: keyFile }, runMs);
        } finally {
          await rm(keyFile, { force: true });
        }
        const names = await readdir(join(dir, CHECKPOINTS_DIR));
        const temps = names.filter(isTempName);
        for (const name of names.filter((n) => !isTempName(n))) {
          const opened = openCheckpoint(await readFile(join(dir, CHECKPOINTS_DIR, name), "utf8"), publicKey);
          expect(opened, name).toMatchObject({ ok: true });
        }
        // A temporary file is what an interrupted publish may leave: the writer clears it as it reopens.
        const writer = await SealedLogWriter.open({
          dir,
          privateKey: parsePrivateKey(KEYS.privatePem),
          origin: "trailcheck.test/crash",
          checkpointEvery: 3,
          heartbeatMs: 0,
        });
        await writer.append(fixtureRecord(1_000_000));
        await writer.close();
        const left = (await readdir(join(dir, CHECKPOINTS_DIR))).filter(isTempName);
        expect(left, `${temps.length} left by the kill`).toEqual([]);
        // Checkpoints are numbered without a gap, each whole and signed, and the records match their
        // roots. Records a crash left past the newest checkpoint (a torn last one is cut) get the
        // checkpoints the cadence owes them on reopen, so the signed cadence holds too.
        const result = await verifyLogDir(dir, publicKey);
        expect(result.findings).toEqual([]);
      }),
      { numRuns: 8 },
    );
  }, 300_000);
});
