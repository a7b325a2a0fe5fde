#!/usr/bin/env bash
# The project's own tests: lint, types, then every *.test.ts under tests/ with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
npx biome check .
npx tsc --noEmit
mapfile -t files < <(find tests -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${files[@]}"
