#!/usr/bin/env bash
# The project's own tests, in the order that fails fastest:
#   lint, types and generated docs; engine, sandbox and CLI tests; the suite against the sandbox
#   (clean, single faults, secrets, hostile targets); the fault matrix over the whole catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
export PSD2_QUIET=1
npx biome check .
npx tsc --noEmit
node --import tsx scripts/generate-docs.ts --check
mapfile -t fast < <(find tests/unit tests/sandbox tests/cli -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${fast[@]}"
mapfile -t slow < <(find tests/suite tests/hostile -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=1 --test-timeout=1200000 "${slow[@]}"
node --import tsx scripts/fault-matrix.ts
