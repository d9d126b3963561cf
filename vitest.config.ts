import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "examples/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "suites",
          include: ["suites/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
