// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using OpenTelemetry;
using Datadog.Otel.Lambda.SnapStart;
using OpenTelemetry.Logs;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Adds the correlation fields to OpenTelemetry log records written inside a traced invocation, as attributes, for
/// whatever exporter comes after it. A record that already carries them as a scope (the logger factory was set up with
/// <c>AddDatadogLambdaCorrelation</c> and the provider includes scopes) is left alone, so they are not exported twice.
/// </summary>
internal sealed class DatadogLogRecordProcessor : BaseProcessor<LogRecord>
{
    [ThreadStatic]
    private static bool foundInScopes;

    public override void OnEnd(LogRecord data)
    {
        if (LogCorrelation.Current() is not { } correlation)
        {
            return;
        }

        // The record's own ids are what Datadog's OTLP log mapping writes as dd.trace_id/dd.span_id (over the attributes),
        // so they name the span the fields name: a recorded one, and after a SnapStart restore with its exported id.
        if (correlation.Span is { } span)
        {
            data.TraceId = span.TraceId;
            data.SpanId = RestoredSpanIds.Local(span.SpanId);
            data.TraceFlags = span.ActivityTraceFlags;
        }

        foundInScopes = false;
        data.ForEachScope(static (scope, target) => foundInScopes |= ReferenceEquals(scope.Scope, target), correlation);
        if (foundInScopes)
        {
            return;
        }

        data.Attributes = new CorrelatedAttributes(data.Attributes, correlation);
    }

    /// <summary>The record's own attributes followed by the correlation fields; one small object per record.</summary>
    private sealed class CorrelatedAttributes : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly IReadOnlyList<KeyValuePair<string, object?>>? own;
        private readonly DatadogLogContext correlation;
        private readonly int ownCount;

        public CorrelatedAttributes(IReadOnlyList<KeyValuePair<string, object?>>? own, DatadogLogContext correlation)
        {
            this.own = own;
            this.correlation = correlation;
            this.ownCount = own?.Count ?? 0;
        }

        public int Count => this.ownCount + this.correlation.Count;

        public KeyValuePair<string, object?> this[int index] => index < this.ownCount ? this.own![index] : this.correlation[index - this.ownCount];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < this.Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => this.GetEnumerator();
    }
}
