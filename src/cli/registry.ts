import type { Command } from "commander";

/** Each CLI verb lives in its own file and adds itself to the program here. */
export type RegisterVerb = (program: Command) => void;

export const registry: RegisterVerb[] = [];
