import { type FileHandle, open } from "node:fs/promises";

/** Appends `bytes` to `path` (created if missing) and waits until they are on the disk. */
export async function appendSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle: FileHandle = await open(path, "a");
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
