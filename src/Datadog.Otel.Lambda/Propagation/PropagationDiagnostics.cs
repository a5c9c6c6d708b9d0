// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Extraction diagnostics: debug level only, and formatted only when someone listens.</summary>
internal static class PropagationDiagnostics
{
    public static void ExtractError(string? propagationError)
    {
        if (propagationError is not null && Diag.IsDebugEnabled)
        {
            Diag.ExtractionSkipped("x-datadog-tags", "_dd.propagation_error=" + propagationError);
        }
    }
}
