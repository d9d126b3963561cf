import { base64Text, type Detector } from "./detectors.js";

/** What an encoded run hides: the token type and identity its replacement takes. */
export type Revealed = { readonly type: string; readonly key: string };

const MIN_RUN = 16;

const isBase64Char = (c: string | undefined): boolean =>
  c !== undefined &&
  ((c >= "A" && c <= "Z") ||
    (c >= "a" && c <= "z") ||
    (c >= "0" && c <= "9") ||
    c === "+" ||
    c === "/" ||
    c === "-" ||
    c === "_");

/**
 * Secrets and personal data wrapped in base64 (or base64url): every maximal run of 16 or more base64
 * characters that decodes to text is handed to `reveal`, and replaced whole when the decoded text hides
 * something. Random identifiers and binary payloads don't decode to text and are left alone. One pass
 * over the text; `reveal` sees each decoded run once.
 */
export function base64Detector(reveal: (encoded: string, decoded: string) => Revealed | undefined): Detector {
  return {
    type: "secret",
    *hits(text) {
      let i = 0;
      while (i < text.length) {
        if (!isBase64Char(text[i])) {
          i++;
          continue;
        }
        let runEnd = i;
        while (isBase64Char(text[runEnd])) runEnd++;
        let end = runEnd;
        while (end < text.length && end - runEnd < 2 && text[end] === "=") end++;
        const decoded = runEnd - i >= MIN_RUN ? decode(text.slice(i, runEnd)) : undefined;
        const found = decoded === undefined ? undefined : reveal(text.slice(i, end), decoded);
        if (found) yield { start: i, end, key: found.key, type: found.type };
        i = end;
      }
    },
  };
}

function decode(run: string): string | undefined {
  const standard = /[+/]/.test(run);
  const url = /[-_]/.test(run);
  if ((standard && url) || run.length % 4 === 1) return undefined;
  return base64Text(run, url ? "base64url" : "base64");
}
