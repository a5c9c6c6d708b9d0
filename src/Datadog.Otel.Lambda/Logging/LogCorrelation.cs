// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Finds the correlation fields for a log line: those of <see cref="Activity.Current"/> (else the invocation's
/// <c>aws.lambda</c> span) inside a traced invocation with <c>DD_LOGS_INJECTION</c> on; none otherwise. The fields of
/// the span that logged last are kept on the invocation, so a log line costs a lookup, not an allocation.
/// </summary>
internal static class LogCorrelation
{
    /// <summary>The fields for a line written now, or null. Never throws.</summary>
    /// <param name="report">False for callers that are themselves diagnostics (a failure would recurse).</param>
    public static DatadogLogContext? Current(bool report = true)
    {
        try
        {
            var invocation = CurrentInvocation.Value;
            if (invocation is null || !invocation.Settings.LogsInjection)
            {
                return null;
            }

            var span = Activity.Current ?? invocation.LambdaSpan;
            var cached = invocation.LogContext;
            if (cached is not null && ReferenceEquals(cached.Span, span))
            {
                return cached;
            }

            var created = DatadogLogContext.Create(span, invocation.Settings, invocation.AwsRequestId);
            invocation.LogContext = created;
            return created;
        }
#pragma warning disable CA1031 // Logging must never fail because of correlation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (report)
            {
                Diag.TracingFailed("log correlation", ex);
            }

            return null;
        }
    }
}
