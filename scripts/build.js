#!/usr/bin/env node
// Builds dist/: compiled ESM with declarations and source maps, plus the templates the code reads at
// run time. `npm ci` runs it (the `prepare` script), so a clone's `npx trailcheck` runs a fresh build.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
for (const file of readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".hbs") && file.split(sep).includes("templates")) {
    cpSync(join(root, "src", file), join(root, "dist", file));
  }
}
// The help texts, rendered by the built CLI itself, so `--help` needn't load every verb (help-manifest.ts).
const manifest = pathToFileURL(join(root, "dist", "cli", "help-manifest.js")).href;
execFileSync(process.execPath, [
  "--input-type=module",
  "-e",
  `await (await import(${JSON.stringify(manifest)})).writeHelpManifest();`,
]);
