import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Checkpoint, openCheckpoint, parseCheckpointBody, signCheckpoint } from "./checkpoint.js";
import { leafHash } from "./hash.js";
import { generateKeyPair, keyId, parsePrivateKey, parsePublicKey, signingKey } from "./keys.js";

const pems = generateKeyPair();
const key = signingKey("example.com/log", createPrivateKey(pems.privatePem));
const publicKey = createPublicKey(pems.publicPem);
const cp: Checkpoint = {
  origin: "example.com/log",
  size: 42,
  root: leafHash(Buffer.from("root")),
  time: new Date("2025-03-04T05:06:07.089Z"),
  seq: 7,
  cadence: { records: 100, intervalMs: 60_000 },
  final: false,
};
const text = signCheckpoint(cp, key);

describe("signed checkpoints", () => {
  it("writes the C2SP layout with trailcheck's extension lines", () => {
    const [body, sig] = text.split("\n\n");
    expect(body).toBe(
      [
        "example.com/log",
        "42",
        cp.root.toString("base64"),
        "time 2025-03-04T05:06:07.089Z",
        "seq 7",
        "cadence records=100 interval-ms=60000",
      ].join("\n"),
    );
    expect(sig).toMatch(/^\u2014 example\.com\/log [A-Za-z0-9+/]{91}=\n$/);
    const blob = Buffer.from(sig!.trim().split(" ")[2]!, "base64");
    expect(blob.subarray(0, 4)).toEqual(keyId("example.com/log", publicKey));
  });

  it("round-trips through a strict parse and signature check", () => {
    const opened = openCheckpoint(text, publicKey);
    expect(opened.ok && opened.checkpoint).toEqual(cp);
    const final = openCheckpoint(signCheckpoint({ ...cp, final: true }, key), publicKey);
    expect(final.ok && final.checkpoint.final).toBe(true);
  });

  const mutations: [string, (t: string) => string][] = [
    ["size with a leading zero", (t) => t.replace("\n42\n", "\n042\n")],
    ["negative size", (t) => t.replace("\n42\n", "\n-42\n")],
    ["short root", (t) => t.replace(cp.root.toString("base64"), "AAAA")],
    ["time without milliseconds", (t) => t.replace(".089Z", "Z")],
    ["impossible date", (t) => t.replace("2025-03-04", "2025-02-30")],
    ["seq zero", (t) => t.replace("seq 7", "seq 0")],
    ["unknown extension line", (t) => t.replace("interval-ms=60000\n", "interval-ms=60000\nextra\n")],
    ["missing blank line", (t) => t.replace("\n\n", "\n")],
    ["CRLF line endings", (t) => t.replaceAll("\n", "\r\n")],
    ["no trailing newline", (t) => t.slice(0, -1)],
    ["no signature", (t) => t.split("\n\n")[0]!.concat("\n\n")],
    ["space in origin", (t) => t.replace("example.com/log\n42", "example.com log\n42")],
    ["signature line without em dash", (t) => t.replace("\u2014 ", "- ")],
  ];
  for (const [name, mutate] of mutations) {
    it(`rejects ${name}`, () => {
      const opened = openCheckpoint(mutate(text), publicKey);
      expect(opened.ok).toBe(false);
    });
  }

  it("tells a wrong key from a bad signature", () => {
    const other = generateKeyPair();
    const wrong = openCheckpoint(text, createPublicKey(other.publicPem));
    expect(wrong).toMatchObject({ ok: false, reason: "signature" });
    expect(!wrong.ok && wrong.message).toMatch(/not signed by the expected key/);
    const altered = openCheckpoint(text.replace("seq 7", "seq 8"), publicKey);
    expect(!altered.ok && altered.message).toMatch(/does not verify/);
  });

  it("reports body errors by line", () => {
    expect(parseCheckpointBody("o\n1\nx\n")).toMatch(/expected 6 or 7 body lines/);
  });

  it("reads PEM keys and refuses anything else with a user error", () => {
    expect(parsePrivateKey(pems.privatePem).asymmetricKeyType).toBe("ed25519");
    expect(parsePublicKey(pems.privatePem).type).toBe("public");
    expect(() => parsePublicKey("not a key", "k.pem")).toThrow(/k\.pem: not a PEM public key/);
  });

  it("refuses a key file with two keys instead of using the first in silence", () => {
    // Node's createPublicKey/createPrivateKey read the first PEM block and ignore the rest.
    const other = generateKeyPair();
    const two = (a: string, b: string) => `${a}${b}`;
    const refused = /two\.pem: it holds 2 PEM blocks; a key file holds one key/;
    expect(() => parsePublicKey(two(other.publicPem, pems.publicPem), "two.pem")).toThrow(refused);
    expect(() => parsePublicKey(two(pems.privatePem, pems.publicPem), "two.pem")).toThrow(refused);
    expect(() => parsePrivateKey(two(other.privatePem, pems.privatePem), "two.pem")).toThrow(refused);
    expect(parsePublicKey(pems.publicPem.replaceAll("\n", "\r\n")).type).toBe("public");
  });
});
