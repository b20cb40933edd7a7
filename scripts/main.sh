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
# Only an interrupted run is resumed (its checkpoint names the build, so a rebuilt kvbench starts
# over); a finished document is recomputed, so that changed code never shows old figures.
resume=(); [ -f "$out.checkpoint" ] && resume=(--resume)
"$bin" run --suite Benchmarks/Suites/default.json --out "$out" "${resume[@]}" "$@"
"$bin" leaderboard "$out" --format md
"$bin" leaderboard "$out" --format html --out results/leaderboard.html
echo "leaderboard page: results/leaderboard.html" >&2
