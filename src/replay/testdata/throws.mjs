// Makes one model call, then throws: Node prints the error and exits with code 1.
import { chat } from "./_lib.mjs";

await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
throw new Error("support agent: unexpected state");
