// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>A header carrier for tests: case-insensitive names, several values per name, insertion order kept.</summary>
internal sealed class Headers
{
    public static readonly Func<Headers, string, IEnumerable<string>?> Getter = static (headers, name) =>
        headers.values.TryGetValue(name, out var list) ? list : null;

    public static readonly Action<Headers, string, string> Setter = static (headers, name, value) => headers.Set(name, value);

    private readonly Dictionary<string, List<string>> values = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => values.Keys;

    public string? this[string name] => values.TryGetValue(name, out var list) ? string.Join(",", list) : null;

    public static Headers Of(params (string Name, string Value)[] pairs)
    {
        var headers = new Headers();
        foreach (var (name, value) in pairs)
        {
            headers.Add(name, value);
        }

        return headers;
    }

    public Headers Add(string name, string value)
    {
        if (!values.TryGetValue(name, out var list))
        {
            values[name] = list = new List<string>();
        }

        list.Add(value);
        return this;
    }

    public Headers Set(string name, string value)
    {
        values[name] = [value];
        return this;
    }

    public Headers Copy()
    {
        var copy = new Headers();
        foreach (var (name, list) in values)
        {
            foreach (var value in list)
            {
                copy.Add(name, value);
            }
        }

        return copy;
    }
}

/// <summary>Builds contexts and reads their Datadog state.</summary>
internal static class Ctx
{
    public static ActivityContext Create(ulong upper, ulong lower, ulong span, string? traceState = null, bool sampled = true) =>
        new(DatadogIds.TraceId(upper, lower), DatadogIds.SpanId(span), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, traceState, isRemote: false);

    public static PropagationContext Propagation(ActivityContext context, Baggage baggage = default) => new(context, baggage);

    public static Headers Inject(TextMapPropagator propagator, ActivityContext context, Baggage baggage = default)
    {
        var headers = new Headers();
        propagator.Inject(new PropagationContext(context, baggage), headers, Headers.Setter);
        return headers;
    }

    public static PropagationContext Extract(TextMapPropagator propagator, Headers headers) =>
        propagator.Extract(default, headers, Headers.Getter);

    public static int? Priority(ActivityContext context) =>
        DatadogTraceState.TryGetPriority(context.TraceState, out var priority) ? priority : null;

    public static string? Origin(ActivityContext context) => DatadogTraceState.GetOrigin(context.TraceState);

    /// <summary>The propagated tags as <c>x-datadog-tags</c> text (<c>_dd.p.a=1,_dd.p.b=2</c>), empty when none.</summary>
    public static string Tags(ActivityContext context) =>
        string.Join(",", DatadogTraceState.GetPropagatedTags(context.TraceState).Select(t => t.Key + "=" + t.Value));

    public static ulong Upper(ActivityContext context) => DatadogIds.Upper64(context.TraceId);

    public static ulong Lower(ActivityContext context) => DatadogIds.Lower64(context.TraceId);

    public static ulong Span(ActivityContext context) => DatadogIds.ToUInt64(context.SpanId);
}
