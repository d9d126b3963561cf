import { expect } from "vitest";
import { matchers } from "./matchers.js";

/** Registers the matchers with vitest's `expect`; call once per test file (or in a setup file). */
export function installMatchers(): void {
  expect.extend(matchers);
}
