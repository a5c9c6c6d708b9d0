// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>Reports <c>_dd.propagation_error</c> for an injection, where only the context (not its span) is at hand.</summary>
internal static class PropagationErrors
{
    /// <summary>
    /// Tags the span being injected with <c>_dd.propagation_error</c> when it is <see cref="Activity.Current"/> (the
    /// usual case: HTTP and AWS SDK instrumentation inject the current client span) and recording; otherwise the
    /// error only reaches the diagnostics. <c>disabled</c> is a configuration choice, so it is not a warning.
    /// </summary>
    public static void ReportInjection(in ActivityContext context, string error)
    {
        var current = Activity.Current;
        if (current is not null && current.IsAllDataRequested && current.SpanId == context.SpanId && current.TraceId == context.TraceId)
        {
            current.SetTag(PropagationTagNames.PropagationError, error);
        }

        if (error == PropagationTagNames.ErrorDisabled)
        {
            if (Diag.IsDebugEnabled)
            {
                Diag.Debug("propagation", "x-datadog-tags not injected: DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH is 0");
            }
        }
        else
        {
            Diag.InjectionSkipped("x-datadog-tags", "the propagated tags exceed DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH (inject_max_size)");
        }
    }
}
