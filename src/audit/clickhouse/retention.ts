import { durationNanos, formatDuration, parseDuration } from "../../model/duration.js";
import type { Profile } from "../../model/profile.js";
import type { StoreRetention } from "../schema.js";

/** ClickHouse's interval functions in the units of the project's durations (months and years as stated). */
const INTERVALS: Readonly<Record<string, string>> = {
  Second: "s",
  Minute: "m",
  Hour: "h",
  Day: "d",
  Week: "w",
  Month: "mo",
  Quarter: "mo",
  Year: "y",
};

/** One clause of a table TTL, as ClickHouse prints it in `engine_full`. */
interface TtlClause {
  readonly text: string;
  /** Rows are kept at least this long after their time column (undefined: the clause couldn't be read). */
  readonly afterNs?: bigint;
  readonly action: "delete" | "move" | "other";
}

/** Splits a TTL list at its top-level commas (not those inside parentheses or quotes). */
function splitClauses(ttl: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < ttl.length; i++) {
    const c = ttl[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === "'") quote = false;
    } else if (c === "'") quote = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(ttl.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(ttl.slice(start).trim());
  return out.filter((s) => s !== "");
}

const INTERVAL = /\+\s*toInterval(Second|Minute|Hour|Day|Week|Month|Quarter|Year)\((\d+)\)/g;
const TIME_COLUMN = /^(?:toDateTime\(\s*`?Timestamp`?\s*\)|`?Timestamp`?)\s*\+/;

function clause(text: string): TtlClause {
  const action = /\bTO\s+(DISK|VOLUME)\b/i.test(text)
    ? "move"
    : /\b(WHERE|GROUP\s+BY|RECOMPRESS|SET)\b/i.test(text)
      ? "other"
      : "delete";
  const expr = text.replace(/\s+(DELETE|TO\s+(DISK|VOLUME)\s+'[^']*')\s*$/i, "").trim();
  if (!TIME_COLUMN.test(expr)) return { text, action };
  let rest = expr.replace(TIME_COLUMN, "+");
  let total = 0n;
  for (const m of rest.matchAll(INTERVAL)) {
    const unit = m[1] === "Quarter" ? 3n * BigInt(m[2]!) : BigInt(m[2]!);
    total += unit * parseDuration(`1${INTERVALS[m[1]!]}`)!;
  }
  rest = rest.replace(INTERVAL, "").trim();
  return rest === "" && total > 0n ? { text, afterNs: total, action } : { text, action };
}

/** The TTL clause of a MergeTree `engine_full`, or null without one. */
export function ttlOf(engineFull: string): string | null {
  const m = /\sTTL\s+(.*?)(?:\s+SETTINGS\s|$)/s.exec(engineFull);
  return m ? m[1]!.trim() : null;
}

/**
 * Judges a table's retention against the profile, as a logging config's `retention` is judged: the
 * table's delete TTL must keep every row at least `retention.minimum`, and a TTL that moves rows to
 * other storage must not do so before `retention.immediate`. With `ttl_only_drop_parts` whole daily
 * partitions go at once, so a row lives from the TTL up to a day longer, and a run that crosses
 * midnight at the edge loses its first part first.
 */
export function judgeTableRetention(
  ttl: string | null,
  ttlOnlyDropParts: boolean,
  profile: Profile,
  where: string,
): StoreRetention {
  const minimum = profile.retention.minimum;
  const immediate = profile.retention.immediate;
  const needNs = minimum ? durationNanos(minimum) : undefined;
  const hotNs = immediate ? durationNanos(immediate) : undefined;
  const base = { ttl, ttlOnlyDropParts, required: minimum ?? null };
  if (ttl === null) {
    return {
      ...base,
      configured: null,
      ok: true,
      message: `${where} has no TTL: records are kept until someone deletes them`,
    };
  }
  const clauses = splitClauses(ttl).map(clause);
  const unread = clauses.filter((c) => c.afterNs === undefined || c.action === "other");
  const deletes = clauses.filter((c) => c.action === "delete" && c.afterNs !== undefined);
  const moves = clauses.filter((c) => c.action === "move" && c.afterNs !== undefined);
  const keptNs = deletes.reduce<bigint | undefined>(
    (m, c) => (m === undefined || c.afterNs! < m ? c.afterNs : m),
    undefined,
  );
  const configured = keptNs === undefined ? null : formatDuration(keptNs);
  const problems: string[] = [];
  if (unread.length > 0) {
    problems.push(
      `has a TTL (${unread.map((c) => `'${c.text}'`).join(", ")}) that is not a plain age of Timestamp, so how long it keeps records is not proven`,
    );
  }
  if (needNs !== undefined && keptNs !== undefined && keptNs < needNs) {
    problems.push(`deletes records after ${configured}, but '${profile.name}' requires ${minimum}`);
  }
  for (const m of moves) {
    if (hotNs !== undefined && m.afterNs! < hotNs) {
      problems.push(
        `moves records to other storage after ${formatDuration(m.afterNs!)}, but '${profile.name}' requires them immediately available for ${immediate}`,
      );
    }
  }
  const parts =
    ttlOnlyDropParts && keptNs !== undefined
      ? `; ttl_only_drop_parts drops whole daily partitions, so a record is kept from ${configured} up to a day longer`
      : "";
  const kept = configured ? `keeps records ${configured}${parts}` : "deletes no records by age";
  return {
    ...base,
    configured,
    ok: problems.length === 0,
    message:
      problems.length > 0
        ? `${where} ${problems.join("; ")}`
        : `${where} ${kept}${minimum ? ` (the profile requires ${minimum})` : ""}`,
  };
}
