import type { LoggingConfig } from "../model/logging-config.js";
import { processorName } from "../model/processors.js";
import type { StoredView } from "../pipeline/index.js";

/**
 * Which of the config's filter processors the generated runs ever set off. A filter drops what its
 * conditions match, and those often read what only the user's own runs carry (a resource attribute
 * such as `deployment.environment`, a service or span name): generated runs never match them, so a
 * property that held over every run says nothing of what such a filter drops. Naming it keeps "no
 * counterexample" from reading as "this config keeps everything".
 */
export class FilterCoverage {
  /** Stage names as the pipeline writes them on a loss: `<stream>/filter[<index>]`. */
  private readonly idle: Set<string>;

  constructor(config: LoggingConfig) {
    this.idle = new Set(
      config.streams.flatMap((stream) =>
        stream.processors.flatMap((p, j) =>
          processorName(p) === "filter" ? [`${stream.name}/filter[${j}]`] : [],
        ),
      ),
    );
  }

  add(view: StoredView): void {
    if (this.idle.size === 0) return;
    for (const loss of view.losses) this.idle.delete(loss.stage);
  }

  /** The filters that dropped nothing in any run added, in the config's order. */
  unexercised(): string[] {
    return [...this.idle];
  }
}
