// Makes one model call, then dies the way an out-of-memory kill does: SIGKILL, no cleanup.
import { chat } from "./_lib.mjs";

await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
process.kill(process.pid, "SIGKILL");
