#!/usr/bin/env bash
# Long fuzzing runs of the SharpFuzz targets (tests/Datadog.Otel.Lambda.Fuzzing) with AFL++.
#   build/fuzz.sh event [minutes]        the event parser: trigger detection, every trigger, extraction, payload capture
#                                        and its redaction (a sensitive member's value must not be exported)
#   build/fuzz.sh propagation [minutes]  the propagators and header parsers
#   build/fuzz.sh response [minutes]     handler results: authorizer-result rewriting, status codes, response capture
#   build/fuzz.sh exception [minutes]    exception graphs built from the input: bounded error texts
# Needs afl-fuzz (AFL++; e.g. `apt-get install afl++`) and the SharpFuzz instrumenter
# (`dotnet tool install --global SharpFuzz.CommandLine`). Findings (crashes) land in artifacts/fuzz/<target>/out/default/crashes;
# replay one with: dotnet artifacts/fuzz/<target>/app/Datadog.Otel.Lambda.Fuzzing.dll <target> --run FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: build/fuzz.sh <event|propagation|response|exception> [minutes]}
minutes=${2:-60}
work=artifacts/fuzz/$target
rm -rf "$work/app"
mkdir -p "$work/in" "$work/out"
dotnet publish tests/Datadog.Otel.Lambda.Fuzzing -c Release -f net10.0 -o "$work/app"
# Only the distribution is instrumented: coverage of the code under test, not of the runtime or the harness.
sharpfuzz "$work/app/Datadog.Otel.Lambda.dll"
case "$target" in
  event) cp tests/Datadog.Otel.Lambda.Tests/TestData/events/*.json tests/Datadog.Otel.Lambda.Fuzzing/corpus/event/* "$work/in/" ;;
  propagation|response|exception) cp tests/Datadog.Otel.Lambda.Fuzzing/corpus/"$target"/* "$work/in/" ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
export AFL_SKIP_BIN_CHECK=1
timeout "$((minutes * 60))" afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -- \
  dotnet "$work/app/Datadog.Otel.Lambda.Fuzzing.dll" "$target" || status=$?
# timeout's 124 is the normal end of a timed run.
[ "${status:-0}" = 0 ] || [ "${status:-0}" = 124 ]
ls "$work/out/default/crashes" 2>/dev/null | grep -v README || echo "no crashes"
