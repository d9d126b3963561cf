import { parentPort } from "node:worker_threads";
import { SealedLog } from "../pipeline/seal.js";
import {
  type BatchMessage,
  CONTINUED,
  type DoneMessage,
  type FinishMessage,
  type LogsMessage,
  PIECE_FIELDS,
} from "./check-seal-protocol.js";

/**
 * The check's sealing worker: each sealed stream's runs hashed, rooted, logged and verified by the
 * very SealedLog a check without a worker runs in its own thread, on the same bytes in the same order.
 */
const logs: SealedLog[] = [];
/** The size of the run each stream has open. */
const open: number[] = [];
const port = parentPort!;

function logOf(log: number): SealedLog {
  logs[log] ??= new SealedLog();
  return logs[log];
}

port.on("message", (message: BatchMessage | FinishMessage) => {
  if (message.kind === "finish") {
    const reply: LogsMessage = { kind: "logs", logs: logs.map((log) => log.summary()) };
    port.postMessage(reply);
    return;
  }
  const { ends, pieces } = message;
  const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
  const at = { endOf: (k: number) => ends[k]! };
  let line = 0;
  let start = 1;
  for (let p = 0; p < pieces.length; p += PIECE_FIELDS) {
    const log = logOf(pieces[p]!);
    const count = pieces[p + 1]!;
    const size = pieces[p + 2]!;
    if (size !== CONTINUED) {
      open[pieces[p]!] = size;
      log.bytes.open(size);
    }
    start = log.bytes.hash(bytes, at, line, line + count, start);
    line += count;
    if (pieces[p + 3] === 1) log.close(open[pieces[p]!]!);
  }
  const done: DoneMessage = { kind: "done", bytes: message.bytes };
  port.postMessage(done, [message.bytes.buffer as ArrayBuffer]);
});
