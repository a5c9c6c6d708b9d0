#!/usr/bin/env bash
# Renders the figures table of docs/reliability.md from the figures the reliability tests wrote in their last run
# (tests/Datadog.Otel.Lambda.IntegrationTests/bin/Debug/<tfm>/reliability/*.txt, one number per file, written by
# ReliabilityFigures.Record after each test's assertions passed).
#   build/reliability-report.sh          run the reliability tests (net10.0), then render
#   build/reliability-report.sh --no-run render from the figures of the last test run (e.g. after `dotnet test Datadog.Otel.Lambda.sln`)
set -euo pipefail
cd "$(dirname "$0")/.."
tfm=${TFM:-net10.0}
if [ "${1:-}" != "--no-run" ]; then
  # Figures of earlier runs must not survive into this one.
  rm -rf tests/Datadog.Otel.Lambda.IntegrationTests/bin/Debug/"$tfm"*/reliability
  dotnet test tests/Datadog.Otel.Lambda.IntegrationTests -f "$tfm" \
    --filter "FullyQualifiedName~HostileInput|FullyQualifiedName~ExportFailureTests|FullyQualifiedName~ConcurrentInvocationsProduceDistinct|FullyQualifiedName~ImpendingTimeout|FullyQualifiedName~SecretExportTests"
fi

dir=$(ls -d tests/Datadog.Otel.Lambda.IntegrationTests/bin/Debug/"$tfm"*/reliability 2>/dev/null | head -1 || true)
[ -n "$dir" ] || { echo "no figures under tests/Datadog.Otel.Lambda.IntegrationTests/bin/Debug/$tfm*/reliability: run the tests first" >&2; exit 1; }

fig() { if [ -f "$dir/$1.txt" ]; then cat "$dir/$1.txt"; else echo "not run"; fi; }
sum() { local total=0 f; for f in "$@"; do [ -f "$dir/$f.txt" ] && total=$((total + $(cat "$dir/$f.txt"))); done; echo "$total"; }
fmt() { printf "%'d" "$1" 2>/dev/null || echo "$1"; }

hostile="hostile.MutatedCorpusCases hostile.HeaderCases hostile.MessageAttributeCases hostile.AuthorizerCases hostile.StepFunctionsCases hostile.XRayCases hostile.PayloadCaptureCases hostile.WrapperCases"
faults="faults.Closed faults.Status500 faults.Status503 faults.Slow faults.Hanging faults.Reset faults.Garbage"
fault_kinds=0; for f in $faults; do [ -f "$dir/$f.txt" ] && fault_kinds=$((fault_kinds + 1)); done

table=$(cat <<TABLE
| Figure | Value | Test |
|---|---|---|
| Hostile inputs tried (all properties) | $(sum $hostile) | \`HostileInputProperties\`, \`WrapperHostileInputTests\` |
| … mutated events of every trigger | $(fig hostile.MutatedCorpusCases) | \`MutatedEventsOfEveryTrigger\` |
| … trace headers of every style | $(fig hostile.HeaderCases) | \`TraceHeadersOfEveryStyle\` |
| … message attributes and \`_datadog\` payloads | $(fig hostile.MessageAttributeCases) | \`MessageAttributesAndDatadogPayloads\` |
| … authorizer contexts | $(fig hostile.AuthorizerCases) | \`AuthorizerContexts\` |
| … Step Functions contexts | $(fig hostile.StepFunctionsCases) | \`StepFunctionsContexts\` |
| … X-Ray headers | $(fig hostile.XRayCases) | \`XRayHeaders\` |
| … payload capture inputs | $(fig hostile.PayloadCaptureCases) | \`PayloadCaptureInput\` |
| … whole-wrapper invocations with hostile events | $(fig hostile.WrapperCases) | \`HandlerSeesItsEventAndReturnsItsResultWhateverTheEvent\` |
| Extension fault kinds survived (closed, 500, 503, slow, hanging, reset, garbage) | $fault_kinds of 7 | \`EveryFaultOfTheEndpoint…\` |
| Invocations under those faults | $(sum $faults) | \`EveryFaultOfTheEndpoint…\` |
| Invocations against a dead endpoint | $(fig faults.DeadEndpointInvocations) | \`TenThousandInvocationsAgainstADeadEndpoint…\` |
| … managed memory growth over the last 8,000 (bytes) | $(fig faults.DeadEndpointMemoryGrowthBytes) | same |
| … thread growth over the last 8,000 | $(fig faults.DeadEndpointThreadGrowth) | same |
| Concurrent invocations in one process (on demand) | $(fig load.ConcurrentInvocations) | \`ConcurrentInvocationsProduceDistinctCorrectTracesWithOneColdStart\` |
| Concurrent invocations in one process (Managed Instances) | $(fig load.ConcurrentInvocations.ManagedInstances) | same |
| Invocations past their deadline with an exported \`Impending Timeout\` span | $(fig timeouts.ImpendingTimeoutExported) | \`ImpendingTimeoutSpanReachesTheExtensionBeforeTheDeadline\` |
| Secrets planted | $(fig security.SecretsPlanted) | \`NoPlantedSecretReachesTheExtension\` |
| Secrets found exported | $(fig security.SecretsFoundExported) | same |
TABLE
)

doc=docs/reliability.md
start='<!-- figures:start -->'
end='<!-- figures:end -->'
{
  sed "/$start/q" "$doc"
  echo
  echo "_Rendered by \`build/reliability-report.sh\` from the test run of $(date -u +%Y-%m-%d) ($tfm)._"
  echo
  echo "$table"
  echo
  sed -n "/$end/,\$p" "$doc"
} > "$doc.tmp"
mv "$doc.tmp" "$doc"
echo "$doc updated from $dir"
