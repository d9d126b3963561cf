// Starts a child process that would outlive it, records the child's pid, then never finishes.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";

const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
writeFileSync(process.env.HANG_PID_FILE, String(child.pid));
process.stdout.write(`started child ${child.pid}\n`);
setInterval(() => {}, 1000);
