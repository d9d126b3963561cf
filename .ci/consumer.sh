#!/usr/bin/env bash
# The package as a user meets it: pack, install the tarball and vitest into a fresh project (from the
# npm cache where it can), scaffold with `init --agent`, `run` (exit 0), add the example trace recorded
# without tool outputs as an incident, `run` again (exit 1, that incident failing), import the package
# from plain node, and typecheck a file that uses checkRecords, the matchers and recordResult.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/trailcheck-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; echo "consumer: $passed passed, 1 failed"; exit 1; }
version() { node -p "require('$repo/node_modules/$1/package.json').version"; }

echo "== pack"
tarball="$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -1)"
if tar tzf "$work/$tarball" | grep -E '\.test\.|^package/(src|bench|incidents|suites|examples/traces|examples/support-agent)/' >/dev/null; then
  fail "the tarball holds tests, sources or fixtures"
fi
ok "packed $tarball"

echo "== without vitest: every verb but run works, run names the install command"
bare="$work/bare"
mkdir "$bare" && cd "$bare"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$work/$tarball"
[ ! -e node_modules/vitest ] || fail "vitest was installed without being asked for"
npx trailcheck analyze --logging "$repo/examples/logging/passing.yaml" >/dev/null || fail "analyze without vitest"
set +e
npx trailcheck run >run.out 2>&1
code=$?
set -e
[ "$code" -eq 2 ] || fail "run without vitest exited $code, want 2: $(cat run.out)"
[ "$(cat run.out)" = "trailcheck: trailcheck run needs vitest: npm install -D vitest" ] || fail "run without vitest said: $(cat run.out)"
ok "without vitest: analyze works, run exits 2 naming npm install -D vitest"

echo "== install into a fresh project"
app="$work/app"
mkdir "$app" && cd "$app"
npm init -y >/dev/null
npm pkg set type=module
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$work/$tarball" \
  "vitest@$(version vitest)" "typescript@$(version typescript)" "@types/node@$(version @types/node)"
ok "installed trailcheck, vitest, typescript"

echo "== check of a large file with a sealed stream (sealed in a worker thread)"
cat >"$work/corpus.mts" <<TS
import { writeCorpus } from "$repo/bench/corpus.ts";
await writeCorpus("$work/sealed.jsonl", 20 * 1024 * 1024);
TS
node "$repo/bin/run-ts.js" "$work/corpus.mts"
printf 'streams:\n  - { name: all, match: { default: true }, retention: 400d, integrity: merkle-checkpoints }\n' >sealed.yaml
[ -f node_modules/trailcheck/dist/cli/check-seal-worker.js ] || fail "the tarball lacks the sealing worker"
set +e
npx trailcheck check --trace "$work/sealed.jsonl" --logging sealed.yaml --format json >sealed.out 2>sealed.err
code=$?
set -e
[ "$code" -le 1 ] || fail "check of a sealed stream exited $code: $(cat sealed.err)"
node "$repo/bin/run-ts.js" "$repo/src/cli/main.ts" check --trace "$work/sealed.jsonl" --logging sealed.yaml \
  --format json >sealed.repo.out 2>/dev/null || true
cmp -s sealed.out sealed.repo.out || fail "check of a sealed stream differs from the sources' check"
ok "check of $(du -m "$work/sealed.jsonl" | cut -f1) MB with a sealed stream (worker thread), exit $code"

echo "== help, without loading the verbs"
npx trailcheck --help | grep -q "^Usage: trailcheck" || fail "trailcheck --help"
npx trailcheck check --help | grep -q "^Usage: trailcheck check" || fail "trailcheck check --help"
ok "--help and check --help"

echo "== init --agent"
agent="node $repo/bin/run-ts.js $repo/examples/support-agent/agent.ts"
npx trailcheck init --agent "$agent" >init.out || fail "init exited $?: $(cat init.out)"
grep -q "created suites/agent-properties.test.ts" init.out || fail "init did not scaffold the agent suite"
ok "init scaffolded $(grep -c '^created ' init.out) files"

echo "== run (a passing project)"
set +e
npx trailcheck run >run1.out 2>&1
code=$?
set -e
[ "$code" -eq 0 ] || fail "run exited $code, want 0: $(tail -30 run1.out)"
grep -q "agent:scenario-" reports/junit.xml || fail "run did not replay synthetic scenarios against the agent"
ok "run: $(grep '^trailcheck: ' run1.out)"

echo "== incident add (recorded without tool outputs), run again"
npx trailcheck incident add "$repo/examples/traces/ai-sdk-v6-no-outputs.otlp.json" \
  --title "Refund run recorded without tool outputs" >add.out || fail "incident add exited $?"
set +e
npx trailcheck run >run2.out 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || fail "run exited $code, want 1: $(tail -30 run2.out)"
node -e '
  const r = JSON.parse(require("fs").readFileSync("reports/results.json", "utf8"));
  const failed = r.tests.filter((t) => t.state === "failed").map((t) => t.id);
  if (failed.length !== 1 || !failed[0].includes("INC-0001")) {
    console.error("want INC-0001 alone failing, got", failed); process.exit(1);
  }' || fail "the incident is not the one failing test"
ok "run with the incident: $(grep '^trailcheck: ' run2.out)"

echo "== import from plain node"
node --input-type=module -e '
  const api = await import("trailcheck");
  const testing = await import("trailcheck/testing");
  const replay = await import("trailcheck/replay");
  const integrity = await import("trailcheck/integrity");
  const guard = await import("trailcheck/guard");
  for (const [name, fn] of [["checkRecords", api.checkRecords], ["recordResult", testing.recordResult],
    ["runReplay", replay.runReplay], ["SealedLogWriter", integrity.SealedLogWriter], ["guardCall", guard.guardCall]])
    if (typeof fn !== "function") throw new Error(name + " is not exported");
' || fail "import('trailcheck') from plain node"
ok "import('trailcheck'), trailcheck/testing, trailcheck/replay, trailcheck/integrity, trailcheck/guard"

echo "== tsc --noEmit of a file using the public API"
cat >tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
  "noEmit": true, "skipLibCheck": true, "types": ["node"] }, "files": ["consumer.ts"] }
JSON
cat >consumer.ts <<'TS'
import { expect, it } from "vitest";
import { type CheckResult, checkRecords, loadLoggingConfig, readRuns, resolveProfile } from "trailcheck";
import { installMatchers, recordResult } from "trailcheck/testing";

installMatchers();

it("keeps the refund's arguments", async ({ task }) => {
  const [run] = await readRuns("trace.otlp.json");
  const config = await loadLoggingConfig("logging.yaml");
  const profile = await resolveProfile(config.compliance);
  const result: CheckResult = checkRecords(run!.records, config, profile, { auditAfterNs: 0n });
  recordResult(task, { kind: "check", id: "refund", title: "refund arguments", verdicts: result.verdicts });
  expect(result).toBeReconstructable();
  expect(result).toKeepFacts(["tool:refund_payment.arguments"]);
});
TS
npx tsc -p tsconfig.json || fail "tsc --noEmit of consumer.ts"
echo 'const n: number = "not a number";' >>consumer.ts
if npx tsc -p tsconfig.json >/dev/null 2>&1; then fail "tsc accepted a type error: it checked nothing"; fi
ok "tsc --noEmit of checkRecords, the matchers and recordResult"

echo "consumer: $passed passed, 0 failed"
