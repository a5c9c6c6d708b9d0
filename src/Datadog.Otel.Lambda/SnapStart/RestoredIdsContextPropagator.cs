// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.SnapStart;

/// <summary>
/// .NET's own propagation (<see cref="DistributedContextPropagator.Current"/>, which <c>HttpClient</c> uses when no
/// instrumentation has injected a context first) writes an activity's span id as .NET drew it. After a restore the
/// world knows this process's spans by their rewritten ids (<see cref="RestoredSpanIds"/>), so a downstream service
/// would name a parent that no exported span has; this propagator rewrites the span id of the <c>traceparent</c> it
/// writes the same way (and nothing before a restore). Installed when the SnapStart hooks are registered, as the
/// function's assembly loads: a <c>SocketsHttpHandler</c> takes the propagator that is current when it is made, so one
/// made before this keeps .NET's. Everything but the rewrite is the inner propagator's.
/// </summary>
internal sealed class RestoredIdsContextPropagator : DistributedContextPropagator
{
    private const string TraceParent = "traceparent";

    // 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>
    private const int SpanIdOffset = 36;
    private const int TraceParentLength = 55;

    private RestoredIdsContextPropagator(DistributedContextPropagator inner)
    {
        this.Inner = inner;
    }

    public override IReadOnlyCollection<string> Fields => this.Inner.Fields;

    internal DistributedContextPropagator Inner { get; }

    /// <summary>Puts the propagator in front of the current one, unless it is there already.</summary>
    public static void Install()
    {
        var current = Current;
        if (current is not RestoredIdsContextPropagator)
        {
            Current = new RestoredIdsContextPropagator(current);
        }
    }

    /// <summary>Takes it out again (tests: back to a process that was never restored).</summary>
    internal static void Uninstall()
    {
        if (Current is RestoredIdsContextPropagator installed)
        {
            Current = installed.Inner;
        }
    }

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (activity is null || setter is null || activity.IdFormat != ActivityIdFormat.W3C || !RestoredSpanIds.IsActive)
        {
            this.Inner.Inject(activity, carrier, setter);
            return;
        }

        var drawn = activity.SpanId.ToHexString();
        var shown = RestoredSpanIds.Local(activity.SpanId).ToHexString();
        this.Inner.Inject(activity, carrier, (target, name, value) =>
        {
            if (value is { Length: TraceParentLength } && string.Equals(name, TraceParent, StringComparison.OrdinalIgnoreCase)
                && value.AsSpan(SpanIdOffset, 16).SequenceEqual(drawn))
            {
                value = string.Concat(value.AsSpan(0, SpanIdOffset), shown, value.AsSpan(SpanIdOffset + 16));
            }

            setter(target, name, value);
        });
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        this.Inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        this.Inner.ExtractBaggage(carrier, getter);
}
