// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Manual propagation, for payloads no instrumentation knows (a custom queue message, a file, a database row): the
/// current span's context as headers in every configured style (<c>DD_TRACE_PROPAGATION_STYLE_INJECT</c>, by default
/// Datadog, W3C tracecontext with the <c>dd</c> member, and baggage), and the reverse. Uses OpenTelemetry's default
/// propagator, which <c>AddDatadogLambda()</c> sets to Datadog's composite.
/// </summary>
public static class DatadogPropagation
{
    /// <summary>Gets the current span's trace headers (empty outside a span).</summary>
    /// <returns>A new map of header names to values, e.g. <c>x-datadog-trace-id</c>, <c>traceparent</c>.</returns>
    /// <example>
    /// <code>
    /// message.MessageAttributes["_datadog"] = new MessageAttributeValue
    /// {
    ///     DataType = "String",
    ///     StringValue = JsonSerializer.Serialize(DatadogPropagation.GetTraceHeaders(), MyJsonContext.Default.IReadOnlyDictionaryStringString),
    /// };
    /// </code>
    /// </example>
    public static IReadOnlyDictionary<string, string> GetTraceHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        InjectTraceContext(headers, static (carrier, name, value) => carrier[name] = value);
        return headers;
    }

    /// <summary>Writes the current span's trace headers into any carrier.</summary>
    /// <typeparam name="T">The carrier type.</typeparam>
    /// <param name="carrier">The carrier.</param>
    /// <param name="setter">Writes one header into the carrier.</param>
    public static void InjectTraceContext<T>(T carrier, Action<T, string, string> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        if (Activity.Current is not { } current)
        {
            return;
        }

        Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(current.Context, Baggage.Current), carrier, setter);
    }

    /// <summary>Reads a parent context from any carrier written by <see cref="InjectTraceContext{T}"/> or another Datadog/W3C tracer.</summary>
    /// <typeparam name="T">The carrier type.</typeparam>
    /// <param name="carrier">The carrier.</param>
    /// <param name="getter">Reads the values of one header from the carrier.</param>
    /// <returns>The remote parent context (its trace state carries Datadog's sampling priority), or <see langword="default"/>.</returns>
    public static ActivityContext ExtractTraceContext<T>(T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        return Propagators.DefaultTextMapPropagator.Extract(default, carrier, getter).ActivityContext;
    }

    /// <summary>Reads a parent context from a map of headers (for example one produced by <see cref="GetTraceHeaders"/>).</summary>
    /// <param name="headers">The headers; names are matched as the map's comparer does.</param>
    /// <returns>The remote parent context, or <see langword="default"/>.</returns>
    public static ActivityContext ExtractTraceContext(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return ExtractTraceContext(headers, static (carrier, name) => carrier.TryGetValue(name, out var value) ? [value] : null);
    }
}
