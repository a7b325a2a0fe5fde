#!/usr/bin/env bash
# The edit loop: lint, types, generated docs, the engine's unit tests, and one clean run of the whole
# suite against the embedded sandbox. `npm test` proves everything (sandbox, CLI, hostile targets, the
# fault matrix); this proves the change did not break the basics, in a couple of minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PSD2_QUIET=1
npx biome check .
npx tsc --noEmit
node --import tsx scripts/generate-docs.ts --check
mapfile -t units < <(find tests/unit -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 --test-timeout=600000 "${units[@]}"
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
node bin/psd2-conformance.js run --reports-dir "$reports"
