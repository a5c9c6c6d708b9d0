#!/usr/bin/env bash
# Installs the npm packages of one folder from its committed lockfile (`npm ci`), for the builds that need them (the
# NpmPackages targets in build/NpmPackages.targets; each project's build is the one set-up step, no test installs
# anything). Several builds may install the same folder at once (a project's net8.0 and net10.0 builds, or the AWS SDK
# tests, the differential tests and the local demo, which share the AWS emulators): one installs, the others wait for
# it and find the folder up to date. Up to date means node_modules/.package-lock.json, which npm writes last, is not
# older than package-lock.json.
#   build/npm-ci.sh FOLDER
set -euo pipefail
folder=$(cd "$1" && pwd)
marker="$folder/node_modules/.package-lock.json"
up_to_date() { [ -f "$marker" ] && [ ! "$folder/package-lock.json" -nt "$marker" ]; }
if up_to_date; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm-ci.sh: npm is not on PATH; install Node.js (20 or later) to build this project: $folder needs its npm packages." >&2
  exit 1
fi
# The lock lives outside the folder, whose node_modules npm ci deletes and recreates.
key=$(printf '%s' "$folder" | cksum | cut -d' ' -f1)
exec 9>"${TMPDIR:-/tmp}/datadog-otel-lambda-npm-ci-$key.lock"
flock -w 900 9
if up_to_date; then
  exit 0
fi
cd "$folder"
npm ci --ignore-scripts --no-audit --no-fund
