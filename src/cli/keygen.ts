import { access } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { ExitCode, InputError } from "../errors.js";
import { createExclusive } from "../files/atomic-write.js";
import { makeFolder } from "../files/make-folder.js";
import { generateKeyPair } from "../integrity/keys.js";

export async function runKeygen(out: string): Promise<number> {
  const privatePath = join(out, "private.pem");
  const publicPath = join(out, "public.pem");
  for (const path of [privatePath, publicPath]) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new InputError("key-exists", "refusing to overwrite an existing key; choose another --out", {
        file: path,
      });
  }
  const pair = generateKeyPair();
  await makeFolder(out);
  await createExclusive(privatePath, pair.privatePem, { mode: 0o600 });
  await createExclusive(publicPath, pair.publicPem);
  process.stdout.write(
    `wrote ${privatePath} (keep it with the writer only)\nwrote ${publicPath} (give it to verifiers)\n`,
  );
  return ExitCode.ok;
}

export function register(program: Command): void {
  program
    .command("keygen")
    .description("Create an Ed25519 key pair for signing sealed-log checkpoints.")
    .requiredOption("--out <dir>", "directory for private.pem and public.pem")
    .action(async (flags: { out: string }) => {
      process.exitCode = await runKeygen(flags.out);
    });
}
