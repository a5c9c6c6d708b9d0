#!/usr/bin/env bash
# Installs Debian's chromium for the tests that render the emulator's HTML trace view headless (DOM dumps, screenshots,
# and playwright-core clicking through the view). The one set-up step for it: the build of
# tests/Datadog.Otel.Lambda.ExtensionEmulator.Tests runs this script (its InstallChromium target), so
# `dotnet test Datadog.Otel.Lambda.sln` on a clean machine installs it before any test runs; no test installs anything.
# Idempotent: does nothing when chromium is already on PATH. Uses sudo only when not root.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
# Test runs of both target frameworks may call this at once: one installs, the other waits and finds it installed.
exec 9>"${TMPDIR:-/tmp}/datadog-otel-lambda-install-chromium.lock"
flock -w 900 9
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "install-chromium.sh: chromium is missing and neither root nor sudo is available; install the Debian package 'chromium'." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: refresh them only when the first try fails.
if ! "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium; then
  "${as_root[@]}" apt-get update
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium
fi
command -v chromium >/dev/null
