#!/usr/bin/env bash
# Builds kvbench in release mode so that a compressor folder added under Plugins/ since the last
# build is always seen. Package.swift turns each folder there into a target, but SwiftPM re-reads
# the manifest only when its cache is bypassed (--manifest-cache none) and re-plans the build only
# when Package.swift looks changed (hence the touch, which changes no content).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
touch Package.swift
swift build -c release --manifest-cache none --product kvbench "$@"
