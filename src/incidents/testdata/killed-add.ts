// An `incident add` killed midway, as SIGKILL or a power cut leaves it: the process kills itself after
// the run file is written and before the YAML. Used by id-lock.test.ts.
//   node bin/run-ts.js src/incidents/testdata/killed-add.ts DIR
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeIncident } from "../write.js";

const dir = process.argv[2]!;
await writeIncident(
  dir,
  "killed",
  (id, runName) => ({ run: `{"run":"${runName}"}\n`, yaml: `id: ${id}\n` }),
  {
    afterRunFile: async () => {
      // As if the kill came while the YAML's temp file was being written.
      await writeFile(join(dir, ".INC-0001-killed.yaml.tmp-0badc0ffee00"), "id: INC-0001\npartial");
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => {});
    },
  },
);
