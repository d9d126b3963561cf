#!/usr/bin/env node
// The baseline for `seal` and `verify`: plain SHA-256 of every record (newline-separated) of a file,
// in plain node, reading 4 MiB at a time and taking each digest in its cheapest form (a binary
// string). Run alone: node bench/sha256-records.mjs FILE — prints the record count.
import { hash } from "node:crypto";
import { open } from "node:fs/promises";
import { pathToFileURL } from "node:url";

export async function sha256Records(path) {
  const handle = await open(path, "r");
  let buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let carry = 0;
  let records = 0;
  try {
    for (;;) {
      if (carry === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
      const { bytesRead } = await handle.read(buf, carry, buf.length - carry, null);
      const end = carry + bytesRead;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
        hash("sha256", buf.subarray(start, nl), "binary");
        records++;
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start === end) return records;
        hash("sha256", buf.subarray(start, end), "binary"); // a last record without its newline
        return records + 1;
      }
      carry = end - start;
      buf.copy(buf, 0, start, end);
    }
  } finally {
    await handle.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${await sha256Records(process.argv[2])}\n`);
}
