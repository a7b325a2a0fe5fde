#!/usr/bin/env bash
# The project's own tests, in the order that fails fastest:
#   lint, types and generated docs; engine, sandbox and CLI tests; the suite against the sandbox
#   (clean, single faults, secrets, hostile targets); the fault matrix over the whole catalogue.
# Each stage ends with a line "stage <name>: <seconds> s" (npm run bench reads them).
set -euo pipefail
cd "$(dirname "$0")/.."
export PSD2_QUIET=1
stage() {
  local name=$1 started=$SECONDS
  shift
  "$@"
  echo "stage ${name}: $((SECONDS - started)) s"
}
static() {
  npx biome check .
  npx tsc --noEmit
  node --import tsx scripts/generate-docs.ts --check
}
mapfile -t fast < <(find tests/unit tests/sandbox tests/cli -name '*.test.ts' | sort)
mapfile -t slow < <(find tests/suite tests/hostile tests/independent -name '*.test.ts' | sort)
stage static static
stage fast node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${fast[@]}"
# Two suite files at once: a run's single-threaded parts (start-up, the Allure report, the hostile targets'
# waits) leave a core idle that the other file's run takes (268 s one at a time, 203 s two at a time).
stage suite node --import tsx --test --test-concurrency=2 --test-timeout=1200000 "${slow[@]}"
stage fault-matrix node --import tsx scripts/fault-matrix.ts
