/**
 * Quotes an argument for a POSIX shell only when it needs it: the commands trailcheck prints for a
 * person to paste (replay a counterexample, turn an audited run into an incident) must run as printed.
 */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
