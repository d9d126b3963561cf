import { readFile, stat } from "node:fs/promises";
import { fileSystemError, InputError } from "../errors.js";

/**
 * Checks that `file` names a regular file before anything opens it: a folder fails to read, and opening
 * a FIFO with no writer, a socket or a device blocks for ever. Bad input (exit 2) naming the file.
 * `what` says which file it is in the message (`the trace file`).
 */
export async function checkInputFile(file: string, what = "the file"): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    const refused = fileSystemError(err, `cannot read ${what}`);
    if (refused?.code === "file-not-found") {
      throw new InputError("file-not-found", `${what} does not exist; check the path`, { file });
    }
    throw refused ?? err;
  }
  if (info.isFile()) return;
  const kind = info.isDirectory()
    ? "a folder"
    : info.isFIFO()
      ? "a FIFO (named pipe)"
      : info.isSocket()
        ? "a socket"
        : "a device";
  throw new InputError("not-a-file", `${what} is ${kind}, not a regular file`, { file });
}

/** Reads a file the user named, as text: see `checkInputFile` for what it refuses. */
export async function readInputFile(file: string, what = "the file"): Promise<string> {
  return (await readInputBytes(file, what)).toString("utf8");
}

/** Reads a file the user named (or one inside a folder they named), as bytes. */
export async function readInputBytes(file: string, what = "the file"): Promise<Buffer> {
  await checkInputFile(file, what);
  try {
    return await readFile(file);
  } catch (err) {
    throw fileSystemError(err, `cannot read ${what}`) ?? err;
  }
}
