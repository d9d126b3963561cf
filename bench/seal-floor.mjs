#!/usr/bin/env node
// What any `seal` of a file must do at the least, in plain node, to set against the baseline
// (sha256-records.mjs): the same reading and leaf hashes, plus what the log's formats and promises
// require — an inner node hash per record, the records and their hex leaf lines appended to disk
// with a data sync per 8 MiB step, and a signed checkpoint every 1000 records, each its own file,
// synced before its rename, the folder synced after each step's renames. No input is checked.
// Run alone: node bench/seal-floor.mjs FILE OUT-DIR — prints the record count.
import { generateKeyPairSync, hash, randomBytes, sign } from "node:crypto";
import { closeSync, fdatasync, fsync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const STEP = 8 * 1024 * 1024;
const EVERY = 1000;
const HEX = Buffer.from("0123456789abcdef", "latin1");
/** 32 raw bytes given as a binary string, written at buf[at] (cheaper than Buffer#write for 32 bytes). */
const put = (buf, at, raw) => {
  for (let k = 0; k < 32; k++) buf[at + k] = raw.charCodeAt(k);
};
const promised = (fn, fd) => new Promise((done, fail) => fn(fd, (err) => (err ? fail(err) : done())));

export async function sealFloor(path, out) {
  mkdirSync(join(out, "segments"), { recursive: true });
  mkdirSync(join(out, "checkpoints"), { recursive: true });
  const { privateKey } = generateKeyPairSync("ed25519");
  const segment = openSync(join(out, "segments", "000000000000.jsonl"), "a");
  const index = openSync(join(out, "segments", "000000000000.leaves"), "a");
  const lines = Buffer.allocUnsafe(65 * 32768);
  const node = Buffer.alloc(65, 1);
  const roots = [];
  const sizes = [];
  let records = 0;
  let seq = 0;

  const root = () => {
    let r = roots[roots.length - 1];
    for (let i = roots.length - 2; i >= 0; i--) {
      put(node, 1, roots[i]);
      put(node, 33, r);
      r = hash("sha256", node, "binary");
    }
    return r;
  };
  const step = async (buf, from, to, due) => {
    await Promise.all([writeAndSync(segment, buf, from, to), writeAndSync(index, lines, 0, lineBytes)]);
    lineBytes = 0;
    const fds = due.map(({ size, root }) => {
      const body = `trailcheck.bench/floor\n${size}\n${Buffer.from(root, "latin1").toString("base64")}\n`;
      const text = `${body}\n— floor ${sign(null, Buffer.from(body), privateKey).toString("base64")}\n`;
      const name = join(out, "checkpoints", `${String(++seq).padStart(8, "0")}.checkpoint`);
      const temp = join(out, "checkpoints", `.${seq}.tmp-${randomBytes(6).toString("hex")}`);
      const fd = openSync(temp, "wx");
      writeSync(fd, text);
      return { fd, temp, name };
    });
    await Promise.all(fds.map(({ fd }) => promised(fsync, fd)));
    for (const { fd, temp, name } of fds) {
      closeSync(fd);
      renameSync(temp, name);
    }
    const dir = openSync(join(out, "checkpoints"), "r");
    await promised(fsync, dir);
    closeSync(dir);
  };
  const writeAndSync = async (fd, buf, from, to) => {
    for (let at = from; at < to; ) at += writeSync(fd, buf, at, to - at);
    await promised(fdatasync, fd);
  };
  let lineBytes = 0;

  const handle = await open(path, "r");
  const buf = Buffer.allocUnsafe(1 + STEP);
  let carry = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 1 + carry, buf.length - 1 - carry, null);
      const end = 1 + carry + bytesRead;
      const last = bytesRead === 0 ? end : buf.lastIndexOf(10, end - 1) + 1;
      const due = [];
      for (let start = 1; start < last; ) {
        let nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= last) nl = last;
        const borrowed = buf[start - 1];
        buf[start - 1] = 0;
        let leaf = hash("sha256", buf.subarray(start - 1, nl), "binary");
        buf[start - 1] = borrowed;
        for (let k = 0; k < 32; k++) {
          const c = leaf.charCodeAt(k);
          lines[lineBytes++] = HEX[c >> 4];
          lines[lineBytes++] = HEX[c & 15];
        }
        lines[lineBytes++] = 10;
        let size = 1;
        while (sizes.length > 0 && sizes[sizes.length - 1] === size) {
          sizes.pop();
          put(node, 1, roots.pop());
          put(node, 33, leaf);
          leaf = hash("sha256", node, "binary");
          size *= 2;
        }
        roots.push(leaf);
        sizes.push(size);
        if (++records % EVERY === 0) due.push({ size: records, root: root() });
        start = nl + 1;
      }
      if (bytesRead === 0) {
        due.push({ size: records, root: root() }); // the final checkpoint, as seal writes at close
        await step(buf, 1, last, due);
        return records;
      }
      await step(buf, 1, last, due);
      carry = end - last;
      buf.copy(buf, 1, last, end);
    }
  } finally {
    await handle.close();
    closeSync(segment);
    closeSync(index);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${await sealFloor(process.argv[2], process.argv[3])}\n`);
}
