// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda;

/// <summary>
/// The log correlation fields of the current span of a traced invocation: <c>dd.trace_id</c>, <c>dd.span_id</c>,
/// <c>dd.service</c>, <c>dd.env</c>, <c>dd.version</c> and <c>lambda.request_id</c>. Also a list of those fields as
/// key/value pairs, which is how <c>Microsoft.Extensions.Logging</c> scopes carry them to every provider.
/// Immutable; one instance is made per span and reused by every log line written in it.
/// </summary>
public sealed class DatadogLogContext : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The key of the trace id field.</summary>
    internal const string TraceIdKey = "dd.trace_id";

    /// <summary>The key of the span id field.</summary>
    internal const string SpanIdKey = "dd.span_id";

    /// <summary>The key of the service field.</summary>
    internal const string ServiceKey = "dd.service";

    /// <summary>The key of the environment field.</summary>
    internal const string EnvironmentKey = "dd.env";

    /// <summary>The key of the version field.</summary>
    internal const string VersionKey = "dd.version";

    /// <summary>The key of the AWS request id field (the attribute Datadog's Lambda integration correlates logs with).</summary>
    internal const string RequestIdKey = "lambda.request_id";

    private readonly KeyValuePair<string, object?>[] fields;
    private string? prefix;

    internal DatadogLogContext(Activity? span, string traceId, string spanId, string service, string? environment, string? version, string? awsRequestId)
    {
        this.Span = span;
        this.TraceId = traceId;
        this.SpanId = spanId;
        this.Service = service;
        this.Environment = environment;
        this.Version = version;
        this.AwsRequestId = awsRequestId;

        var count = 3 + (environment is null ? 0 : 1) + (version is null ? 0 : 1) + (awsRequestId is null ? 0 : 1);
        var pairs = new KeyValuePair<string, object?>[count];
        var i = 0;
        pairs[i++] = new(TraceIdKey, traceId);
        pairs[i++] = new(SpanIdKey, spanId);
        pairs[i++] = new(ServiceKey, service);
        if (environment is not null)
        {
            pairs[i++] = new(EnvironmentKey, environment);
        }

        if (version is not null)
        {
            pairs[i++] = new(VersionKey, version);
        }

        if (awsRequestId is not null)
        {
            pairs[i] = new(RequestIdKey, awsRequestId);
        }

        this.fields = pairs;
    }

    /// <summary>Gets the Datadog trace id: the lower 64 bits in decimal, or 32 lowercase hex digits for a 128-bit trace when <c>DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED</c> is true; <c>0</c> without a span.</summary>
    public string TraceId { get; }

    /// <summary>Gets the Datadog span id of the current span, in decimal; <c>0</c> without a span.</summary>
    public string SpanId { get; }

    /// <summary>Gets the service (<c>DD_SERVICE</c>, else <c>OTEL_SERVICE_NAME</c>, else the function name).</summary>
    public string Service { get; }

    /// <summary>Gets <c>DD_ENV</c>, when set.</summary>
    public string? Environment { get; }

    /// <summary>Gets <c>DD_VERSION</c>, when set.</summary>
    public string? Version { get; }

    /// <summary>Gets the invocation's AWS request id, when known.</summary>
    public string? AwsRequestId { get; }

    /// <summary>Gets the text form Datadog's Lambda libraries put in front of a log message: <c>[dd.trace_id=… dd.span_id=…]</c>.</summary>
    public string Prefix => this.prefix ??= string.Concat("[dd.trace_id=", this.TraceId, " dd.span_id=", this.SpanId, "]");

    /// <summary>Gets the number of fields (3 to 6: the environment, version and request id appear only when known).</summary>
    public int Count => this.fields.Length;

    /// <summary>Gets the span these ids belong to (null when the invocation has no recorded span).</summary>
    internal Activity? Span { get; }

    /// <summary>Gets the field at <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    public KeyValuePair<string, object?> this[int index] => this.fields[index];

    /// <summary>
    /// Writes the <c>dd</c> object (<c>"dd":{"trace_id":…,"span_id":…,"service":…,"env":…,"version":…}</c>), the shape
    /// Datadog reads from JSON logs, as a property of the object <paramref name="writer"/> is in.
    /// </summary>
    /// <param name="writer">A writer positioned inside a JSON object.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(JsonNames.Dd);
        writer.WriteString(JsonNames.TraceId, this.TraceId);
        writer.WriteString(JsonNames.SpanId, this.SpanId);
        writer.WriteString(JsonNames.Service, this.Service);
        if (this.Environment is not null)
        {
            writer.WriteString(JsonNames.Env, this.Environment);
        }

        if (this.Version is not null)
        {
            writer.WriteString(JsonNames.Version, this.Version);
        }

        writer.WriteEndObject();
    }

    /// <summary>Returns <see cref="Prefix"/>, so that providers that print a scope as text print the Lambda libraries' form.</summary>
    /// <returns>The prefix.</returns>
    public override string ToString() => this.Prefix;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)this.fields).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => this.fields.GetEnumerator();

    /// <summary>Builds the fields of <paramref name="span"/> (or zeros without one) from the invocation's settings.</summary>
    internal static DatadogLogContext Create(Activity? span, LambdaSettings settings, string? awsRequestId)
    {
        string traceId;
        string spanId;
        if (span is null)
        {
            traceId = "0";
            spanId = "0";
        }
        else
        {
            var id = span.TraceId;
            var upper = DatadogIds.Upper64(id);

            // ToHexString is cached by the Activity: the 128-bit form costs nothing more.
            traceId = settings.Log128BitTraceIds && upper != 0 ? id.ToHexString() : DatadogIds.ToDecimal(DatadogIds.Lower64(id));
            spanId = DatadogIds.ToDecimal(DatadogIds.ToUInt64(RestoredSpanIds.Local(span.SpanId)));
        }

        return new DatadogLogContext(span, traceId, spanId, settings.ServiceName, settings.Environment, settings.Version, awsRequestId);
    }

    private static class JsonNames
    {
        public static readonly JsonEncodedText Dd = JsonEncodedText.Encode("dd");
        public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("trace_id");
        public static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("span_id");
        public static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
        public static readonly JsonEncodedText Env = JsonEncodedText.Encode("env");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    }
}
