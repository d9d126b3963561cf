// Does its work (one model call) but never sends any telemetry.
import { chat } from "./_lib.mjs";

await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
