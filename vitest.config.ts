import { defineConfig } from "vitest/config";

// `trailcheck/*` imports (the thin files in suites/) resolve to the TypeScript sources, not to dist/:
// this repository's tests always test what is in src/. The rest are vitest's defaults for Node.
const ssr = { resolve: { conditions: ["trailcheck-source", "node", "development|production"] } };

export default defineConfig({
  test: {
    projects: [
      {
        ssr,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "examples/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        ssr,
        test: {
          name: "suites",
          include: ["suites/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
