import type { Command } from "commander";
import { register as analyze } from "./analyze.js";
import { register as check } from "./check.js";

/** Each CLI verb lives in its own file and adds itself to the program here. */
export type RegisterVerb = (program: Command) => void;

export const registry: RegisterVerb[] = [check, analyze];
