import type { Profile } from "../model/profile.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { argumentsSha256 } from "./digest.js";

/**
 * Which tool calls keep only a hash of their arguments in the ledger: every one (`true`), none
 * (`false`), the tools named, or those a function picks.
 */
export type Redact =
  | boolean
  | readonly string[]
  | ((call: { readonly toolName: string; readonly arguments: unknown }) => boolean);

/** A tool call's arguments as the ledger keeps them: in the clear, or as their SHA-256. */
export type RecordedArguments = { arguments?: unknown } | { argumentsSha256: string };

export type ArgumentsRecorder = (toolName: string, args: unknown) => RecordedArguments;

/** A built-in profile by name, or a profile already resolved. */
function profileOf(profile: string | Profile): Profile {
  if (typeof profile !== "string") return profile;
  const found = Object.hasOwn(BUILTIN_PROFILES, profile) ? BUILTIN_PROFILES[profile] : undefined;
  if (!found) {
    throw new RangeError(
      `unknown profile '${profile}'; built-in profiles are ${Object.keys(BUILTIN_PROFILES).join(", ")}`,
    );
  }
  return found;
}

/**
 * How the ledger records arguments. An explicit `redact` decides; without one, the profile does:
 * where it accepts tool arguments masked or hashed (personal data under the EU AI Act, PCI DSS, HIPAA…),
 * the ledger keeps only the hash — data minimisation costs no audit fact there. With neither, the
 * arguments are kept as they are.
 */
export function argumentsRecorder(redact: Redact | undefined, profile?: string | Profile): ArgumentsRecorder {
  const decide: (toolName: string, args: unknown) => boolean =
    redact === undefined
      ? profile !== undefined && (profileOf(profile).maskable.tool ?? []).includes("arguments")
        ? () => true
        : () => false
      : typeof redact === "boolean"
        ? () => redact
        : typeof redact === "function"
          ? (toolName, args) => redact({ toolName, arguments: args })
          : (toolName) => redact.includes(toolName);
  return (toolName, args) => {
    if (!decide(toolName, args)) return args === undefined ? {} : { arguments: args };
    return { argumentsSha256: argumentsSha256(args) };
  };
}
