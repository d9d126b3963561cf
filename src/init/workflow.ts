import { stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";

/**
 * The repository `dir` belongs to: the nearest folder, `dir` itself or above, that holds `.git` (a
 * folder, or a file in a worktree or submodule); undefined outside any repository.
 */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const found = await stat(join(d, ".git")).then(
      () => true,
      () => false,
    );
    if (found) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * What to do with the scaffolded workflow when the project `root` is a folder below its repository's
 * root (a monorepo's package): GitHub runs only the workflows in the repository root's
 * `.github/workflows`, and the workflow's steps and artifact paths start from the root, so as written
 * it would never run. Empty for a project at the root or outside any repository.
 */
export async function workflowNote(root: string): Promise<string[]> {
  const repo = await repositoryRoot(root);
  if (repo === undefined || repo === root) return [];
  const sub = relative(repo, root).split(sep).join("/");
  return [
    `note: this project is ${sub} in the repository at ${repo}, and GitHub runs only the workflows in`,
    `  ${join(repo, ".github", "workflows")}: move .github/workflows/trailcheck.yml there, give both of its`,
    `  jobs \`defaults: { run: { working-directory: ${sub} } }\` and start the artifacts' paths (reports/…,`,
    `  shards) with ${sub}/.`,
  ];
}
