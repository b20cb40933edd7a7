#!/usr/bin/env bash
# Rebuilds KVBench's text corpora from Debian packages and checks each one's SHA-256.
# The suites in Benchmarks/Suites/ pin these files by name and hash. Prints the folder on stdout.
set -euo pipefail
dir="${KVBENCH_TEXT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvbench/texts}"
mkdir -p "$dir"

# first N bytes of stdin, cut back to the end of the last complete line
cut_lines() { head -c "$1" | python3 -c 'import sys; d=sys.stdin.buffer.read(); sys.stdout.buffer.write(d[:d.rfind(b"\n")+1])'; }
kjv() { bible -f "$1" | sed -E 's/^[^ ]+ //'; }

build() { # name sha256 command...
  local name="$1" sha="$2"; shift 2
  local dest="$dir/$name"
  if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then return; fi
  "$@" > "$dest.tmp"
  if ! echo "$sha  $dest.tmp" | sha256sum -c --status; then
    echo "setup: error: rebuilt $name does not have SHA-256 $sha (Debian package changed?)" >&2
    rm -f "$dest.tmp"; exit 1
  fi
  mv "$dest.tmp" "$dest"
}

# prose: Genesis, King James Version (bible-kjv-text)
build kjv_60k.txt 096d231b5f6653bf4f9a48e9b12f6aa5b91b79d69a59be3e353eb8487955b83b \
  bash -c "$(declare -f kjv cut_lines); kjv gen1:1-50:26 | cut_lines 60000"
# legal: GPL-3 then Apache-2.0 (base-files)
build licenses.txt e6484b84cc5301ad00d0e8d74af636cf327ff5732f826da2852e6c3eeda44c9f \
  cat /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/Apache-2.0
# code: Python's argparse module (libpython3.11-minimal)
build code_argparse.txt dc576fe8aca22d44ce752bacd1004d838d177daf5b76231ede718eebfc50e225 \
  bash -c "$(declare -f cut_lines); cut_lines 60000 < /usr/lib/python3.11/argparse.py"
# calibration (never evaluated): Exodus, King James Version
build calib_exodus.txt 1aa4129a4f7520c85fa881252e5066ba727afd37a4a659632a4886c512e0a07e \
  bash -c "$(declare -f kjv cut_lines); kjv ex1:1-40:38 | cut_lines 60000"
echo "$dir"
