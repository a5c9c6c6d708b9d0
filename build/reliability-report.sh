#!/usr/bin/env bash
# Copies the reliability figures into docs/reliability.md. Every run of the README's test command writes them, from what
# the reliability tests of that run recorded, to artifacts/reliability-net<version>.md when the integration test process
# exits (ReliabilityReport in tests/Datadog.Otel.Lambda.IntegrationTests).
#   build/reliability-report.sh          run the reliability tests (net10.0), then copy
#   build/reliability-report.sh --no-run copy from the last test run (e.g. after `dotnet test Datadog.Otel.Lambda.sln`)
set -euo pipefail
cd "$(dirname "$0")/.."
runtime=${RUNTIME:-net10.0}
if [ "${1:-}" != "--no-run" ]; then
  dotnet test tests/Datadog.Otel.Lambda.IntegrationTests -f "$runtime" \
    --filter "FullyQualifiedName~HostileInput|FullyQualifiedName~ExportFailureTests|FullyQualifiedName~ConcurrentInvocationsProduceDistinct|FullyQualifiedName~ImpendingTimeout|FullyQualifiedName~SecretExportTests|FullyQualifiedName~PlantedSecretProperties|FullyQualifiedName~MemorySoakTests"
fi

report=artifacts/reliability-$runtime.md
[ -f "$report" ] || { echo "no $report: run the tests first" >&2; exit 1; }

doc=docs/reliability.md
start='<!-- figures:start -->'
end='<!-- figures:end -->'
{
  sed "/$start/q" "$doc"
  echo
  cat "$report"
  echo
  sed -n "/$end/,\$p" "$doc"
} > "$doc.tmp"
mv "$doc.tmp" "$doc"
echo "$doc updated from $report"
