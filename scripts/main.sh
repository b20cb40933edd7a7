#!/usr/bin/env bash
# The main job: install what is missing, build in release mode, run the default suite and print
# the leaderboard. Extra arguments go to `kvbench run` (e.g. --max-windows 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build.sh
bin=.build/release/kvbench
mkdir -p results
out="results/default.json"
resume=(); [ -f "$out" ] || [ -f "$out.checkpoint" ] && resume=(--resume)
"$bin" run --suite Benchmarks/Suites/default.json --out "$out" "${resume[@]}" "$@"
"$bin" leaderboard "$out" --format md
"$bin" leaderboard "$out" --format html --out results/leaderboard.html
echo "leaderboard page: results/leaderboard.html" >&2
