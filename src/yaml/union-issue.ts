import type { z } from "zod";

type Issue = z.core.$ZodIssue;

/** An alternative of the union that refused the value's keys themselves, not a value under one of them. */
const refusedKeys = (branch: readonly Issue[]) =>
  branch.some((i) => i.path.length === 0 && (i.code === "unrecognized_keys" || i.code === "invalid_type"));

const quoted = (keys: Iterable<PropertyKey>) => [...keys].map((k) => `'${String(k)}'`).join(", ");

/**
 * The issue a reader can act on. zod reports a value that matches no alternative of a union as one bare
 * "Invalid input" at the union. Where the alternatives are told apart by their keys (a processor entry
 * is `{ tail_sampling: {...} }`), at most one of them takes the value's keys: its own issue says what is
 * wrong, and where (`decision_wait` expected a string). When none takes them, the message says why: a key
 * no alternative has (and the keys they do have), keys of different alternatives together, or a value of
 * the wrong type for all of them.
 */
export function readableIssue(issue: Issue): Issue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const branches = issue.errors;
  const taking = branches.filter((branch) => !refusedKeys(branch));
  if (taking.length === 1 && taking[0]!.length > 0) {
    const inner = taking[0]![0]!;
    return readableIssue({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
  }
  if (taking.length > 0) return issue;
  const at = (message: string) => ({ code: "custom", path: issue.path, message, input: undefined }) as Issue;

  const rootType = branches.map((b) => b.find((i) => i.path.length === 0 && i.code === "invalid_type"));
  if (rootType.every((i) => i && i.message === rootType[0]!.message)) return at(rootType[0]!.message);

  const refused = branches.map(
    (b) => new Set(b.flatMap((i) => (i.code === "unrecognized_keys" && i.path.length === 0 ? i.keys : []))),
  );
  if (refused.some((keys) => keys.size === 0)) return issue;
  const byAll = [...refused[0]!].filter((k) => refused.every((keys) => keys.has(k)));
  if (byAll.length === 0) {
    const all = new Set(refused.flatMap((keys) => [...keys]));
    return at(`${quoted(all)} cannot stand together here: each belongs to a different alternative`);
  }
  const missing = branches.flatMap((b) =>
    b.flatMap((i) =>
      i.code === "invalid_type" && i.path.length === 1 && /received undefined$/.test(i.message)
        ? [i.path[0]!]
        : [],
    ),
  );
  const expected =
    missing.length > 0 ? `: expected one of ${[...new Set(missing)].map(String).join(", ")}` : "";
  return at(`unknown key ${quoted(byAll)}${expected}`);
}
