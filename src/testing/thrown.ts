import { InputError } from "../errors.js";

/** The InputError a call throws, for tests that pin its code, location and message. */
export function thrownInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError");
}
