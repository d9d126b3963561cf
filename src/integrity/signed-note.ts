import { type KeyObject, sign, verify } from "node:crypto";
import { keyId, type SigningKey } from "./keys.js";

/** One `— name base64(keyID ‖ signature)` line of a signed note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

export interface Note {
  /** The signed text, ending in a newline. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

const SIG_LINE = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$/;
const MAX_SIGNATURES = 16;

/** Appends one Ed25519 signature over `body` (C2SP signed-note layout: body, blank line, signatures). */
export function signNote(body: string, key: SigningKey): string {
  const sig = sign(null, Buffer.from(body), key.privateKey);
  const blob = Buffer.concat([keyId(key.name, key.publicKey), sig]).toString("base64");
  return `${body}\n\u2014 ${key.name} ${blob}\n`;
}

/** Splits a signed note strictly; returns the reason when the text is not one. */
export function parseNote(text: string): Note | string {
  if (text.includes("\r")) return "carriage returns are not allowed";
  const split = text.indexOf("\n\n");
  if (split < 0) return "no blank line between the body and the signatures";
  const body = text.slice(0, split + 1);
  const rest = text.slice(split + 2);
  if (!rest.endsWith("\n")) return "the last signature line must end with a newline";
  const lines = rest.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) return `more than ${MAX_SIGNATURES} signature lines`;
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = SIG_LINE.exec(line);
    if (!m) return `malformed signature line ${JSON.stringify(line)}`;
    const blob = Buffer.from(m[2]!, "base64");
    if (blob.toString("base64") !== m[2] || blob.length < 5) return "signature is not canonical base64";
    signatures.push({ name: m[1]!, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return { body, signatures };
}

/**
 * Checks the note carries a valid signature by (name, publicKey). Returns the reason it does not:
 * no signature by that key at all is reported differently from a signature that fails.
 */
export function verifyNote(note: Note, name: string, publicKey: KeyObject): string | undefined {
  const id = keyId(name, publicKey);
  const mine = note.signatures.filter((s) => s.name === name && s.keyId.equals(id));
  if (mine.length === 0) {
    const seen = note.signatures.map((s) => `${s.name} (key ${s.keyId.toString("hex")})`).join(", ");
    return `not signed by the expected key ${name} (key ${id.toString("hex")}); signed by ${seen}`;
  }
  const ok = mine.some(
    (s) => s.signature.length === 64 && verify(null, Buffer.from(note.body), publicKey, s.signature),
  );
  return ok ? undefined : `signature by ${name} does not verify: the checkpoint was altered or re-signed`;
}
