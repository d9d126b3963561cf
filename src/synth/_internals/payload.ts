import fc from "fast-check";
import { type Pii, piiArb } from "./pii.js";

/**
 * A piece of text a run carries (a prompt, an answer, a tool result): a few words, personal data or
 * secrets mixed in, and filler up to a size. Filler is expanded when the run is rendered, so a 120 kB
 * payload costs one integer to generate and shrinks to a short one.
 */
export interface Payload {
  readonly words: readonly string[];
  readonly pii: readonly Pii[];
  /** Filler characters appended. */
  readonly pad: number;
}

export interface PayloadBounds {
  /** Largest filler, in characters. */
  readonly maxPad: number;
  /** Chance (0–1) that a payload is large: 1 kB up to `maxPad`. */
  readonly largeRate: number;
  /** Chance (0–1) that a payload carries personal data or a secret. */
  readonly piiRate: number;
}

const WORDS = [
  "refund",
  "order",
  "invoice",
  "weather",
  "account",
  "please",
  "status",
  "shipping",
  "address",
  "delayed",
  "cancel",
  "thanks",
];

const FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ";

/** A rate as a draw that shrinks towards "no": u in [0, 1000) is a hit when u ≥ 1000·(1 − rate). */
export function chance(rate: number): fc.Arbitrary<boolean> {
  const threshold = Math.round(1000 * (1 - Math.min(Math.max(rate, 0), 1)));
  return fc.integer({ min: 0, max: 999 }).map((u) => u >= threshold);
}

export function payloadArb(bounds: PayloadBounds): fc.Arbitrary<Payload> {
  const small = fc.integer({ min: 0, max: Math.min(200, bounds.maxPad) });
  const large =
    bounds.maxPad > 1024 ? fc.integer({ min: 1024, max: bounds.maxPad }) : fc.integer({ min: 0, max: 0 });
  return fc.record({
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }),
    pii: chance(bounds.piiRate).chain((has) =>
      has ? fc.array(piiArb(), { minLength: 1, maxLength: 2 }) : fc.constant([] as Pii[]),
    ),
    pad: chance(bounds.largeRate).chain((big) => (big ? large : small)),
  });
}

let filler = FILLER;

/** The payload as text: words, personal data, then filler cut to the exact size. */
export function payloadText(p: Payload): string {
  const text = [...p.words, ...p.pii.map((x) => x.value)].join(" ");
  if (p.pad === 0) return text;
  // One long filler string, grown on demand; payloads are slices of it.
  if (filler.length < p.pad) filler = FILLER.repeat(Math.ceil(p.pad / FILLER.length) * 2);
  return `${text} ${filler.slice(0, p.pad)}`;
}

/** A short label for timelines: `"refund order" +12 kB, email, card`. */
export function payloadLabel(p: Payload): string {
  const size = payloadText(p).length;
  const head = p.words.slice(0, 3).join(" ");
  const kinds = [...new Set(p.pii.map((x) => x.type))];
  return `"${head}"${size > 1024 ? ` ${(size / 1024).toFixed(0)} kB` : ""}${kinds.length ? `, ${kinds.join(", ")}` : ""}`;
}
