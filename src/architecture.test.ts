import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * docs/architecture.md gives each folder of src/ a "May import:" line; this holds the code to it. A
 * file's relative imports (static, re-exports and dynamic `import()`) are resolved to the top folder
 * of src/ they land in; `src/errors.ts` is open to all. Tests and their testdata are left out: the
 * rules are about the code.
 */
const SRC = resolve(import.meta.dirname);
const DOC = join(SRC, "..", "docs", "architecture.md");

function rules(doc: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const section of doc.split(/^### /m).slice(1)) {
    const folder = /^`([\w-]+)\/`/.exec(section)?.[1];
    const line = /\nMay import: ([\s\S]*?)(?:\n\n|\n*$)/.exec(section)?.[1];
    if (!folder || line === undefined) continue;
    const allowed = line.trim() === "nothing." ? [] : [...line.matchAll(/`([\w-]+)`/g)].map((m) => m[1]!);
    out.set(folder, new Set(allowed));
  }
  return out;
}

async function codeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    if (path.split(sep).includes("testdata")) continue;
    out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"(\.[^"]+)"|\bimport\(\s*"(\.[^"]+)"\s*\)/g;

/** The top folder of src/ a path is in, or undefined for a file directly in src/ (errors.ts). */
function topFolder(path: string): string | undefined {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

describe("docs/architecture.md's import rules", () => {
  it("name every folder of src/, and only those", async () => {
    const documented = rules(await readFile(DOC, "utf8"));
    const folders = (await readdir(SRC, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect([...documented.keys()].sort()).toEqual(folders.sort());
  });

  it("hold: each folder imports only the folders its paragraph allows", async () => {
    const documented = rules(await readFile(DOC, "utf8"));
    const broken: string[] = [];
    let seen = 0;
    for (const file of await codeFiles(SRC)) {
      const from = topFolder(file);
      if (from === undefined) continue;
      const allowed = documented.get(from) ?? new Set<string>();
      for (const m of (await readFile(file, "utf8")).matchAll(IMPORT)) {
        const target = topFolder(resolve(dirname(file), (m[1] ?? m[2])!));
        seen++;
        if (target === undefined || target === from || allowed.has(target)) continue;
        broken.push(`${relative(SRC, file)} imports ${target}/`);
      }
    }
    expect(seen).toBeGreaterThan(1000); // the scan saw the imports, not an empty tree
    expect(broken).toEqual([]);
  });
});
