import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, type KeyObject } from "node:crypto";
import { InputError } from "../errors.js";

/** A checkpoint signer: the name written on each signature line and the Ed25519 private key. */
export interface SigningKey {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A PEM pair from `trailcheck keygen`. */
export interface PemKeyPair {
  readonly privatePem: string;
  readonly publicPem: string;
}

export function generateKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function requireEd25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new InputError(
      "key-type",
      `expected an Ed25519 key, got ${key.asymmetricKeyType ?? "a symmetric key"}`,
      {
        file,
      },
    );
  }
  return key;
}

/**
 * A key file holds one key. Node reads the first PEM block and ignores the rest, so a file with two
 * (two key files joined, a rotated key put in front of the old one) would sign or verify with one of
 * them in silence: which one is the user's to say.
 */
function requireOnePem(pem: string, file: string): void {
  const blocks = pem.match(/-----BEGIN [^-\r\n]*-----/g)?.length ?? 0;
  if (blocks > 1) {
    throw new InputError(
      "key-unreadable",
      `it holds ${blocks} PEM blocks; a key file holds one key (only the first would be used)`,
      { file },
    );
  }
}

/** Reads a private key PEM (PKCS#8) as written by `trailcheck keygen`. */
export function parsePrivateKey(pem: string, file = "private key"): KeyObject {
  requireOnePem(pem, file);
  try {
    return requireEd25519(createPrivateKey(pem), file);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError("key-unreadable", "not a PEM private key; create one with `trailcheck keygen`", {
      file,
    });
  }
}

/** Reads a public key PEM (SPKI); a private key PEM is accepted too, its public half is used. */
export function parsePublicKey(pem: string, file = "public key"): KeyObject {
  requireOnePem(pem, file);
  try {
    return requireEd25519(createPublicKey(pem), file);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError("key-unreadable", "not a PEM public key; `trailcheck keygen` writes public.pem", {
      file,
    });
  }
}

/** The 32 raw bytes of an Ed25519 public key (the tail of its SPKI encoding). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const der = publicKey.export({ type: "spki", format: "der" });
  return der.subarray(der.length - 32);
}

/**
 * The C2SP signed-note key ID: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key),
 * 0x01 being the Ed25519 signature type. It lets a verifier pick its signature among several.
 */
export function keyId(name: string, publicKey: KeyObject): Buffer {
  // Remembered per key: a verifier asks once per checkpoint, and exporting the key is the costly part.
  let byName = keyIds.get(publicKey);
  if (!byName) {
    byName = new Map();
    keyIds.set(publicKey, byName);
  }
  let id = byName.get(name);
  if (!id) {
    const material = Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([0x01]), rawPublicKey(publicKey)]);
    id = hash("sha256", material, "buffer").subarray(0, 4);
    byName.set(name, id);
  }
  return Buffer.from(id);
}

const keyIds = new WeakMap<KeyObject, Map<string, Buffer>>();

export function signingKey(name: string, privateKey: KeyObject): SigningKey {
  return { name, privateKey, publicKey: createPublicKey(privateKey) };
}
