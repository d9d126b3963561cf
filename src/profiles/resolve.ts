import { InputError } from "../errors.js";
import type { FactName } from "../model/action.js";
import { type Profile, type ProfileInput, ProfileInputSchema, ProfileSchema } from "../model/profile.js";
import type { LayerKind } from "../model/record.js";
import { loadYaml } from "../yaml/load.js";
import { BUILTIN_PROFILE_NAMES, BUILTIN_PROFILES } from "./builtin.js";

function builtin(name: string, where: string | undefined): Profile {
  const profile = BUILTIN_PROFILES[name];
  if (!profile) {
    throw new InputError(
      "unknown-profile",
      `unknown compliance profile '${name}'; built-in profiles: ${BUILTIN_PROFILE_NAMES.join(", ")} (or give a profile file)`,
      where ? { file: where } : {},
    );
  }
  return profile;
}

function mergeFacts(
  base: Partial<Record<LayerKind, FactName[]>>,
  extra: Partial<Record<LayerKind, FactName[]>> | undefined,
): Partial<Record<LayerKind, FactName[]>> {
  if (!extra) return base;
  const out: Partial<Record<LayerKind, FactName[]>> = { ...base };
  for (const [kind, facts] of Object.entries(extra) as [LayerKind, FactName[]][]) {
    out[kind] = [...new Set([...(base[kind] ?? []), ...facts])];
  }
  return out;
}

/**
 * Builds a profile from user input: a built-in one extended with more required facts, a longer
 * retention, stricter integrity. Extending adds requirements; it never removes the base's.
 */
export function extendProfile(input: ProfileInput, where?: string): Profile {
  const parent = builtin(input.extends ?? "reconstructable", where);
  return ProfileSchema.parse({
    name: input.name ?? (input.extends ? `${input.extends}+custom` : "custom"),
    description: input.description ?? parent.description,
    citations: [...parent.citations, ...(input.citations ?? [])],
    required: mergeFacts(parent.required, input.required),
    maskable: input.maskable ?? parent.maskable,
    retention: { ...parent.retention, ...input.retention },
    integrity: input.integrity ?? parent.integrity,
    alwaysKeep: { ...parent.alwaysKeep, ...input.alwaysKeep },
  });
}

/** A profile file in YAML: `extends: pci-dss-4` plus overrides. */
export async function loadProfileFile(file: string): Promise<Profile> {
  return extendProfile(await loadYaml(file, ProfileInputSchema, "bad-profile"), file);
}

/** `--profile NAME|FILE`, or the logging config's `compliance`, or the default. */
export async function resolveProfile(
  spec: string | ProfileInput | undefined,
  where?: string,
): Promise<Profile> {
  if (spec === undefined) return builtin("reconstructable", where);
  if (typeof spec !== "string") return extendProfile(spec, where);
  if (BUILTIN_PROFILES[spec]) return BUILTIN_PROFILES[spec];
  if (/\.(ya?ml|json)$/i.test(spec)) return loadProfileFile(spec);
  return builtin(spec, where);
}
