#!/usr/bin/env bash
# Installs what KVBench needs and is missing: Debian packages, the model file, the corpora.
# Idempotent: a second run checks hashes and returns quickly.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need_pkgs=()
for p in libopenblas-dev libjemalloc-dev bible-kjv bible-kjv-text base-files libpython3.11-minimal; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
python3 -m pip --version >/dev/null 2>&1 || need_pkgs+=(python3-pip)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_pkgs[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_pkgs[@]}" >&2
fi

"$here/fetch-model.sh" >/dev/null
"$here/build-corpora.sh" >/dev/null
