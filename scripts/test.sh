#!/usr/bin/env bash
# The test command: install what is missing, run every test in release mode (unit tests and the
# integration tests on the real model), then gate the quick suite against its stored baseline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build.sh
bin=.build/release/kvbench
# The test process cannot re-execute itself the way kvbench does, so it takes the OpenBLAS
# kernel kvbench would choose (an OPENBLAS_CORETYPE already set is kept: it is the user's).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  core="$("$bin" blas-core --suggest)"
  if [ -n "$core" ]; then export OPENBLAS_CORETYPE="$core"; fi
fi
export KVBENCH_BIN="$PWD/$bin"
swift test -c release --manifest-cache none
"$bin" gate --baseline baselines/quick.json
