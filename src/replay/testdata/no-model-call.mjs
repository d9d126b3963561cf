// Exports a model-call span as if it had done its work, but never calls the model it was given: an
// agent still pointed at another provider, or one that answers from a cache.
import { chatSpan, exportJson } from "./_lib.mjs";

process.stdout.write(`export answered ${await exportJson([chatSpan()])}\n`);
