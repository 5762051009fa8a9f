#!/usr/bin/env bash
# Builds ejsync, then runs every bench against dist/; results land in bench/results/*.json.
#   bench/run-all.sh                 1,000 and 100,000 pupils, 3 runs each (about 10 minutes on 2 cores)
#   BENCH_PUPILS=1000 bench/run-all.sh
#   BENCH_RUNS=5 bench/run-all.sh
# Generated schools are kept in $EJSYNC_BENCH_DIR (default: $TMPDIR/ejsync-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

PUPILS="${BENCH_PUPILS:-1000,100000}"
RUNS="${BENCH_RUNS:-3}"

npm run build
node bench/check-csv-equivalence.js --cases 2000
node bench/generate.js --pupils "$PUPILS"
node bench/import.js --pupils "$PUPILS" --runs "$RUNS"
node bench/import.js --pupils "$PUPILS" --runs 1 --phases
node bench/plan.js --pupils "$PUPILS" --runs "$RUNS"
