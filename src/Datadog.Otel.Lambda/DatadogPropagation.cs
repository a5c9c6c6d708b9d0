// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
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

    /// <summary>
    /// Points the trace headers of a request at the current span (<c>aws.lambda</c> inside <c>DatadogLambda.TraceAsync</c>):
    /// removes every trace header of every style and writes the current context in the configured styles. Use it on an
    /// API Gateway, ALB or Function URL request before a web framework hosted in the function (ASP.NET Core) sees it: the
    /// framework then continues the invocation's trace instead of starting a sibling of it from the upstream headers.
    /// Header names are matched case-insensitively; <c>X-Amzn-Trace-Id</c> is left alone.
    /// </summary>
    /// <param name="headers">The request's single-value headers, or <see langword="null"/>.</param>
    /// <param name="multiValueHeaders">The request's multi-value headers, or <see langword="null"/>.</param>
    public static void ReplaceTraceHeaders(IDictionary<string, string>? headers, IDictionary<string, IList<string>>? multiValueHeaders = null)
    {
        // Runs inside the user's handler: a header map that cannot be changed must not fail the request.
        try
        {
            if (headers is { IsReadOnly: false })
            {
                RemoveTraceHeaders(headers);
                if (Activity.Current is not null)
                {
                    InjectTraceContext(headers, static (carrier, name, value) => carrier[name] = value);
                }
            }

            if (multiValueHeaders is { IsReadOnly: false })
            {
                RemoveTraceHeaders(multiValueHeaders);
                if (Activity.Current is not null)
                {
                    InjectTraceContext(multiValueHeaders, static (carrier, name, value) => carrier[name] = [value]);
                }
            }

            if (headers is { IsReadOnly: true } || multiValueHeaders is { IsReadOnly: true })
            {
                Diag.InjectionSkipped("request headers", "the header map is read-only; the web framework may continue the upstream trace instead of aws.lambda");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Diag.TracingFailed("ReplaceTraceHeaders", ex);
        }
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

    private static void RemoveTraceHeaders<TValue>(IDictionary<string, TValue> headers)
    {
        List<string>? remove = null;
        foreach (var name in headers.Keys)
        {
            if (IsTraceHeader(name))
            {
                (remove ??= new List<string>()).Add(name);
            }
        }

        if (remove is null)
        {
            return;
        }

        foreach (var name in remove)
        {
            headers.Remove(name);
        }
    }

    private static bool IsTraceHeader(string name) =>
        name.StartsWith("x-datadog-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-b3-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("b3", StringComparison.OrdinalIgnoreCase)
        || name.Equals("traceparent", StringComparison.OrdinalIgnoreCase)
        || name.Equals("tracestate", StringComparison.OrdinalIgnoreCase)
        || name.Equals("baggage", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a parent context from a map of headers (for example one produced by <see cref="GetTraceHeaders"/>).</summary>
    /// <param name="headers">The headers; names are matched as the map's comparer does.</param>
    /// <returns>The remote parent context, or <see langword="default"/>.</returns>
    public static ActivityContext ExtractTraceContext(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return ExtractTraceContext(headers, static (carrier, name) => carrier.TryGetValue(name, out var value) ? [value] : null);
    }
}
