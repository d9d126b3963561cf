import fc from "fast-check";
import { withLuhnDigit } from "../../model/luhn.js";

/** Personal data and secrets as they turn up in prompts and tool arguments (OWASP's never-log list). */
export type Pii =
  | { readonly type: "email"; readonly value: string }
  | { readonly type: "card"; readonly value: string }
  | { readonly type: "api-key"; readonly value: string }
  | { readonly type: "aws-key"; readonly value: string }
  | { readonly type: "phone"; readonly value: string };

const USERS = ["ana", "li.wei", "j.smith", "maria", "o.connor"];
const DOMAINS = ["example.com", "mail.example.org", "corp.example.net"];
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const chars = (alphabet: string, length: number) =>
  fc
    .array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: length, maxLength: length })
    .map((ix) => ix.map((i) => alphabet[i]).join(""));

export function piiArb(): fc.Arbitrary<Pii> {
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...USERS), fc.constantFrom(...DOMAINS))
      .map(([u, d]) => ({ type: "email" as const, value: `${u}@${d}` })),
    fc.tuple(fc.constantFrom("4", "51", "37"), chars("0123456789", 12)).map(([prefix, rest]) => ({
      type: "card" as const,
      value: withLuhnDigit(`${prefix}${rest}`.padEnd(15, "0").slice(0, 15)),
    })),
    chars(ALNUM, 32).map((s) => ({ type: "api-key" as const, value: `sk-proj-${s}` })),
    chars(UPPER, 16).map((s) => ({ type: "aws-key" as const, value: `AKIA${s}` })),
    chars("0123456789", 9).map((s) => ({ type: "phone" as const, value: `+4415${s}` })),
  );
}
