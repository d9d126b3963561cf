import { InputError, type Location } from "../errors.js";

/** A component id, `type[/name]`, as the collector parses it. */
export interface ComponentId {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
}

const TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME = /^[^\s/]+(?:\/[^\s]+)?$/;

/** Parses `probabilistic_sampler/llm`; a malformed id is a config the collector rejects. */
export function parseComponentId(id: string, location: Location, what: string): ComponentId {
  const slash = id.indexOf("/");
  const type = slash >= 0 ? id.slice(0, slash) : id;
  const name = slash >= 0 ? id.slice(slash + 1) : undefined;
  if (!TYPE.test(type)) {
    throw new InputError(
      "bad-otelcol-config",
      `invalid ${what} id "${id}": the type must start with a letter and hold only letters, digits and _ (at most 63)`,
      location,
    );
  }
  if (name !== undefined && (name === "" || !NAME.test(name))) {
    throw new InputError(
      "bad-otelcol-config",
      `invalid ${what} id "${id}": the name after "/" must be non-empty and hold no spaces`,
      location,
    );
  }
  return name === undefined ? { id, type } : { id, type, name };
}

/** The signals a pipeline id may start with. */
export const SIGNALS = ["traces", "metrics", "logs", "profiles"] as const;

/** Parses a pipeline id, `traces/llm`, into its signal. */
export function pipelineSignal(id: string, location: Location): string {
  const signal = id.split("/")[0]!;
  if (!(SIGNALS as readonly string[]).includes(signal) || id.endsWith("/")) {
    throw new InputError(
      "bad-otelcol-config",
      `service::pipelines::${id}: unknown signal "${signal}" (a pipeline id is traces, metrics, logs or profiles, optionally followed by /name)`,
      location,
    );
  }
  return signal;
}
