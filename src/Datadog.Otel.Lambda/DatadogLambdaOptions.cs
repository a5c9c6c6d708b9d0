// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Options of <c>AddDatadogLambda</c>, in code: the delegate given to <c>AddDatadogLambda</c>, and
/// <c>services.Configure&lt;DatadogLambdaOptions&gt;(…)</c> (named with <c>AddDatadogLambda(name, …)</c>), as with
/// OpenTelemetry's exporters. Behaviour is switched by Datadog's settings (<c>DD_*</c>), read from the provider's
/// <c>IConfiguration</c> (environment variables, appsettings.json or any other source); a property set here is the
/// default used when the corresponding setting is not configured (the configuration wins), unless its documentation says
/// otherwise. docs/configuration.md lists every setting and the precedence.
/// </summary>
public sealed class DatadogLambdaOptions
{
    /// <summary>
    /// Gets or sets the service name used when neither <c>DD_SERVICE</c> nor <c>OTEL_SERVICE_NAME</c> is set.
    /// When this is also unset, the function name is used.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>Gets or sets which exporter to add. This explicit choice wins over the environment.</summary>
    public DatadogLambdaExporter Exporter { get; set; } = DatadogLambdaExporter.Auto;

    /// <summary>
    /// Gets or sets the OTLP traces endpoint used when <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> and
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> are unset. Default <c>http://127.0.0.1:4318/v1/traces</c>, the Datadog Lambda Extension.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets whether the wrapper also calls <c>TracerProvider.ForceFlush</c> (on a dedicated thread, bounded by the
    /// invocation's deadline) so that exporters you added yourself deliver before the function returns.
    /// Default: on when this distribution adds no exporter of its own, off otherwise.
    /// </summary>
    public bool? FlushTracerProvider { get; set; }

    /// <summary>
    /// Gets or sets the longest the wrapper waits for the export at the end of an invocation. The wait is also bounded by
    /// the invocation's deadline. Default 3 seconds; <c>DD_OTEL_LAMBDA_FLUSH_TIMEOUT_MILLISECONDS</c> overrides it.
    /// </summary>
    public TimeSpan MaxFlushTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gets or sets a custom trace extractor. When set, it replaces the extraction of the upstream trace context
    /// from the event (as <c>DD_TRACE_EXTRACTOR</c> does in Datadog's Python and Node.js libraries): it receives the raw
    /// event and the invocation context and returns the parent context, or <see langword="null"/> for none.
    /// When it returns <see langword="null"/> or throws, the X-Ray fallback applies.
    /// Put a Datadog sampling priority in the returned context's trace state as <c>dd=s:&lt;priority&gt;</c> if you have one.
    /// </summary>
    public Func<JsonElement, DatadogLambdaContext, ActivityContext?>? TraceExtractor { get; set; }

    /// <summary>
    /// Gets or sets the resolver (typically your source-generated <c>JsonSerializerContext</c>) used to read typed handler
    /// results: the <c>statusCode</c> of HTTP responses and, with payload capture on, the response payload.
    /// Without it, only raw results (<see cref="Stream"/>, <see cref="JsonElement"/>, bytes, strings) are read.
    /// </summary>
    public IJsonTypeInfoResolver? JsonTypeInfoResolver { get; set; }

    /// <summary>Gets or sets the default of <c>DD_CAPTURE_LAMBDA_PAYLOAD</c> (request and response payload tags). Default off.</summary>
    public bool? CaptureLambdaPayload { get; set; }

    /// <summary>
    /// Gets the names whose values payload capture replaces by <c>redacted</c>, in addition to the built-in ones (listed in
    /// docs/security.md; they cannot be removed). A name matches keys at any depth, query-string, form and <c>name: value</c>
    /// names, case-insensitively and ignoring <c>-</c>, <c>_</c> and spaces (<c>order_pin</c> also matches <c>OrderPin</c>).
    /// <c>DD_OTEL_LAMBDA_REDACTED_KEYS</c> (comma-separated) adds more.
    /// </summary>
    public IList<string> RedactedKeys { get; } = new List<string>();

    /// <summary>Gets or sets the default of <c>DD_MERGE_XRAY_TRACES</c>. Default off.</summary>
    public bool? MergeXRayTraces { get; set; }

    /// <summary>Gets or sets the default of <c>DD_COLD_START_TRACING</c> (the <c>aws.lambda.cold_start</c> span). Default on.</summary>
    public bool? ColdStartTracing { get; set; }

    /// <summary>
    /// Gets or sets whether traces that sampling rejects (priority 0 or -1) are still exported with their priority
    /// (default on, <c>DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT</c>). Exporting them lets the extension compute trace metrics
    /// (hits, errors, latency) from every invocation and drop the rejected traces itself; turning it off saves the export
    /// of rejected traces at the cost of metrics computed from kept traces only.
    /// </summary>
    public bool? ExportSampledOutTraces { get; set; }

    /// <summary>
    /// Gets the trace sampling rules used when <c>DD_TRACE_SAMPLING_RULES</c> is not configured (a configured rule list
    /// replaces them all). The first rule that matches a trace's first span decides; <c>DD_TRACE_SAMPLE_RATE</c> and
    /// <c>DD_TRACE_RATE_LIMIT</c> apply as with rules from the configuration.
    /// </summary>
    public IList<DatadogSamplingRule> SamplingRules { get; } = new List<DatadogSamplingRule>();

    /// <summary>
    /// Gets or sets a value indicating whether building the provider makes the Datadog composite of the configured styles
    /// OpenTelemetry's default propagator (<c>Sdk.SetDefaultTextMapPropagator</c>), which the HttpClient, AWS SDK and
    /// ASP.NET Core instrumentations and <see cref="DatadogPropagation"/> use. Process-wide: it is set once, when the
    /// provider is built (the last provider built wins, as with any call to <c>Sdk.SetDefaultTextMapPropagator</c>).
    /// Default on; turn it off when you set the default propagator yourself (for example to a composite that includes
    /// <c>DatadogCompositePropagator</c>). The invocation wrapper extracts with its own propagator either way.
    /// </summary>
    public bool SetDefaultTextMapPropagator { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether building the provider sets <c>Activity.TraceIdGenerator</c> so that new
    /// trace ids are valid Datadog and X-Ray ids at once (the upper 64 bits start with the time in seconds, as Datadog's
    /// 128-bit ids do; 64-bit ids with <c>DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED=false</c>). Process-wide: it is set
    /// once, when the provider is built (the last provider built wins). Default on; turn it off when you install a
    /// generator yourself.
    /// </summary>
    public bool SetActivityTraceIdGenerator { get; set; } = true;

    /// <summary>
    /// Gets or sets a fixed environment for tests: when set, it replaces both the provider's configuration (settings)
    /// and the process environment (the variables Lambda's runtime sets per invocation, such as <c>_X_AMZN_TRACE_ID</c>).
    /// </summary>
    internal IEnvironmentSource Environment { get; set; } = EnvironmentSource.Process;

    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets when the sandbox started initializing (tests); default: the process start time.</summary>
    internal Func<DateTimeOffset>? InitTime { get; set; }
}
