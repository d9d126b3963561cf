import type { Command } from "commander";
import { register as analyze } from "./analyze.js";
import { register as check } from "./check.js";
import { register as exportVerb } from "./export.js";
import { register as fuzz } from "./fuzz.js";
import { register as incident } from "./incident.js";
import { register as init } from "./init.js";
import { register as keygen } from "./keygen.js";
import { register as replay } from "./replay.js";
import { register as report } from "./report.js";
import { register as run } from "./run.js";
import { register as seal } from "./seal.js";
import { register as verify } from "./verify.js";
import { register as verifyExport } from "./verify-export.js";

/** Each CLI verb lives in its own file and adds itself to the program here. */
export type RegisterVerb = (program: Command) => void;

export const registry: RegisterVerb[] = [check, analyze, incident, replay];
registry.push(keygen);
registry.push(seal);
registry.push(verify);
registry.push(exportVerb);
registry.push(verifyExport);
registry.push(fuzz);
registry.push(run);
registry.push(report);
registry.push(init);
