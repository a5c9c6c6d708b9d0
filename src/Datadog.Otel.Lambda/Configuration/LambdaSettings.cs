// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Every setting the distribution uses, resolved once per provider when it is built, from the provider's configuration
/// (<c>IConfiguration</c>: environment variables, appsettings.json or any other source, by Datadog's names) and the code
/// options: the configuration wins over code options, which win over the built-in defaults. Immutable and shared by
/// concurrent invocations.
/// </summary>
internal sealed class LambdaSettings
{
    public const int DefaultFlushDeadlineMilliseconds = 100;

    /// <summary>The span attribute limit with payload capture on (the SDK's default is 128).</summary>
    public const int CapturedPayloadAttributeLimit = 2048;

    private const int DefaultSpanLimit = 128;

    private LambdaSettings()
    {
    }

    public bool TraceEnabled { get; private init; } = true;

    /// <summary>Gets the service of the resource and of <c>aws.lambda</c>: DD_SERVICE, OTEL_SERVICE_NAME, the code option, the function name.</summary>
    public string ServiceName { get; private init; } = "aws.lambda";

    /// <summary>
    /// Gets the service of the <c>aws.lambda</c> span: as <see cref="ServiceName"/>, except <c>aws.lambda</c> when
    /// DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED is false and DD_SERVICE is unset (Datadog's rule); then looked up once in
    /// DD_SERVICE_MAPPING, as dd-trace-py's tracer maps every span's service.
    /// </summary>
    public string LambdaSpanService { get; private init; } = "aws.lambda";

    /// <summary>Gets the service of the cold-start span: <c>aws.lambda</c>, looked up once in DD_SERVICE_MAPPING.</summary>
    public string ColdStartService { get; private init; } = "aws.lambda";

    /// <summary>Gets a value indicating whether nothing named the service (no DD_SERVICE, OTEL_SERVICE_NAME, code option or function name).</summary>
    public bool ServiceIsFallback { get; private init; }

    /// <summary>Gets the value of DD_SERVICE when set (used as <c>peer.service</c> on inferred spans).</summary>
    public string? DdService { get; private init; }

    public bool ServiceRepresentationEnabled { get; private init; } = true;

    public string? Environment { get; private init; }

    public string? Version { get; private init; }

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; private init; } = [];

    public IReadOnlyDictionary<string, string> ServiceMapping { get; private init; } = new Dictionary<string, string>();

    public string? FunctionName { get; private init; }

    public string? FunctionVersion { get; private init; }

    public string? Region { get; private init; }

    public int MemorySizeMB { get; private init; }

    public string? LogGroupName { get; private init; }

    public string? LogStreamName { get; private init; }

    public string? InitializationType { get; private init; }

    /// <summary>Gets the Runtime API authority (<c>host:port</c>) from AWS_LAMBDA_RUNTIME_API; spans to it are suppressed.</summary>
    public string? RuntimeApi { get; private init; }

    public string? XRayTraceIdVariable { get; private init; }

    public string? XRayDaemonAddress { get; private init; }

    public bool ManagedServices { get; private init; } = true;

    public bool ColdStartTracing { get; private init; } = true;

    public int FlushDeadlineMilliseconds { get; private init; } = DefaultFlushDeadlineMilliseconds;

    public bool MergeXRayTraces { get; private init; }

    public bool EncodeAuthorizerContext { get; private init; } = true;

    public bool DecodeAuthorizerContext { get; private init; } = true;

    /// <summary>Gets the payload capture settings (DD_CAPTURE_LAMBDA_PAYLOAD, DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH).</summary>
    public LambdaPayloadCaptureSettings PayloadCapture { get; private init; } = LambdaPayloadCaptureSettings.Disabled;

    public bool CaptureLambdaPayload => this.PayloadCapture.Enabled;

    public bool LogsInjection { get; private init; } = true;

    public bool Log128BitTraceIds { get; private init; }

    public bool AddSpanPointers { get; private init; } = true;

    public bool ExportSampledOut { get; private init; } = true;

    public TimeSpan MaxFlushTime { get; private init; } = TimeSpan.FromSeconds(3);

    public int MaxBatchLinks { get; private init; } = 100;

    /// <summary>Gets the propagation styles and rules (DD_TRACE_PROPAGATION_STYLE …).</summary>
    public PropagationSettings Propagation { get; private init; } = new();

    /// <summary>Gets the sampling rules, rate and limit (DD_TRACE_SAMPLING_RULES, else the code rules …).</summary>
    public SamplingSettings Sampling { get; private init; } = new();

    /// <summary>Gets a value indicating whether new trace ids have 128 bits (DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED).</summary>
    public bool Generate128BitTraceIds { get; private init; } = true;

    /// <summary>
    /// Gets the OpenTelemetry span limits this distribution needs beyond the SDK's 128 attributes and links, by their
    /// configuration names, for the names the configuration does not set: payload capture adds many attributes, a batch
    /// event up to <see cref="MaxBatchLinks"/> links. Empty when the defaults suffice.
    /// </summary>
    public IReadOnlyDictionary<string, string> SpanLimitDefaults { get; private init; } = new Dictionary<string, string>();

    public bool IsManagedInstances => string.Equals(this.InitializationType, "lambda-managed-instances", StringComparison.OrdinalIgnoreCase);

    public bool IsSnapStart => string.Equals(this.InitializationType, "snap-start", StringComparison.OrdinalIgnoreCase);

    public bool IsProvisionedConcurrency => string.Equals(this.InitializationType, "provisioned-concurrency", StringComparison.OrdinalIgnoreCase);

    public static LambdaSettings Resolve(IEnvironmentSource env, DatadogLambdaOptions options)
    {
        var functionName = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaFunctionName);
        var ddService = SettingParsers.Text(env, EnvironmentVariables.DdService);
        var representation = SettingParsers.OnUnlessFalse(env, EnvironmentVariables.DdServiceRepresentation);
        var namedService = ddService
            ?? SettingParsers.Text(env, EnvironmentVariables.OtelServiceName)
            ?? NonBlank(options.ServiceName)
            ?? functionName;
        var service = namedService ?? "aws.lambda";

        var flushTimeoutMs = SettingParsers.Int(env, EnvironmentVariables.DdOtelFlushTimeout, (int)Math.Clamp(options.MaxFlushTime.TotalMilliseconds, 0, int.MaxValue), 0, 900_000);
        var initType = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaInitializationType);
        if (initType is not null && initType is not ("on-demand" or "provisioned-concurrency" or "snap-start" or "lambda-managed-instances"))
        {
            Diag.InvalidSetting(EnvironmentVariables.AwsLambdaInitializationType, initType, "unknown initialization type; treated as on-demand");
        }

        var capture = new LambdaPayloadCaptureSettings
        {
            Enabled = SettingParsers.Bool(env, EnvironmentVariables.DdCaptureLambdaPayload, options.CaptureLambdaPayload ?? false),
            MaxDepth = SettingParsers.ClampedInt(env, EnvironmentVariables.DdCaptureLambdaPayloadMaxDepth, PayloadTagValues.DefaultMaxDepth, 0, PayloadTagValues.MaxAllowedDepth),
            Redaction = RedactionRules.Create(options.RedactedKeys, SettingParsers.Text(env, EnvironmentVariables.DdOtelRedactedKeys), EnvironmentVariables.DdOtelRedactedKeys),
        };
        var serviceMapping = ParseServiceMapping(SettingParsers.Text(env, EnvironmentVariables.DdServiceMapping));
        var maxBatchLinks = SettingParsers.Int(env, EnvironmentVariables.DdOtelMaxBatchLinks, 100, 0, 1000);
        var tags = ParseTags(SettingParsers.Text(env, EnvironmentVariables.DdTags));
        var sampling = SamplingSettings.FromEnvironment(env, options.SamplingRules, tags);
        var exportSampledOut = SettingParsers.Bool(env, EnvironmentVariables.DdOtelExportSampledOut, options.ExportSampledOutTraces ?? true);
        return new LambdaSettings
        {
            TraceEnabled = SettingParsers.Bool(env, EnvironmentVariables.DdTraceEnabled, true),
            ServiceName = service,
            ServiceIsFallback = namedService is null,
            LambdaSpanService = Triggers.ServiceNames.Map(serviceMapping, ddService is null && !representation ? "aws.lambda" : service),
            ColdStartService = Triggers.ServiceNames.Map(serviceMapping, "aws.lambda"),
            DdService = ddService,
            ServiceRepresentationEnabled = representation,
            Environment = ProcessValue(env, EnvironmentVariables.DdEnv, tags, "env"),
            Version = ProcessValue(env, EnvironmentVariables.DdVersion, tags, "version"),
            Tags = tags,
            ServiceMapping = serviceMapping,
            FunctionName = functionName,
            FunctionVersion = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaFunctionVersion),
            Region = SettingParsers.Text(env, EnvironmentVariables.AwsRegion) ?? SettingParsers.Text(env, EnvironmentVariables.AwsDefaultRegion),
            MemorySizeMB = SettingParsers.Int(env, EnvironmentVariables.AwsLambdaFunctionMemorySize, 0, 0, 1_048_576),
            LogGroupName = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaLogGroupName),
            LogStreamName = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaLogStreamName),
            InitializationType = initType,
            RuntimeApi = SettingParsers.Text(env, EnvironmentVariables.AwsLambdaRuntimeApi),
            XRayTraceIdVariable = SettingParsers.Text(env, EnvironmentVariables.XAmznTraceId),
            XRayDaemonAddress = SettingParsers.Text(env, EnvironmentVariables.AwsXRayDaemonAddress),
            ManagedServices = SettingParsers.Bool(env, EnvironmentVariables.DdTraceManagedServices, true),
            ColdStartTracing = SettingParsers.Bool(env, EnvironmentVariables.DdColdStartTracing, options.ColdStartTracing ?? true),
            FlushDeadlineMilliseconds = ParseFlushDeadline(env),
            MergeXRayTraces = SettingParsers.Bool(env, EnvironmentVariables.DdMergeXRayTraces, options.MergeXRayTraces ?? false),
            EncodeAuthorizerContext = SettingParsers.Bool(env, EnvironmentVariables.DdEncodeAuthorizerContext, true),
            DecodeAuthorizerContext = SettingParsers.Bool(env, EnvironmentVariables.DdDecodeAuthorizerContext, true),
            PayloadCapture = capture,
            LogsInjection = SettingParsers.Bool(env, EnvironmentVariables.DdLogsInjection, true),
            Log128BitTraceIds = SettingParsers.Bool(env, EnvironmentVariables.DdTrace128BitLogging, false),
            AddSpanPointers = SettingParsers.Bool(env, EnvironmentVariables.DdTraceAwsAddSpanPointers, SettingParsers.Bool(env, EnvironmentVariables.DdBotocoreAddSpanPointers, true)),
            ExportSampledOut = exportSampledOut,
            MaxFlushTime = TimeSpan.FromMilliseconds(flushTimeoutMs),
            MaxBatchLinks = maxBatchLinks,
            Propagation = PropagationSettings.FromEnvironment(env),
            Sampling = sampling.WithExportSampledOut(exportSampledOut),
            Generate128BitTraceIds = SettingParsers.Bool(env, EnvironmentVariables.DdTrace128BitGeneration, true),
            SpanLimitDefaults = SpanLimits(env, capture.Enabled, maxBatchLinks),
        };
    }

    /// <summary>
    /// Parses DD_TAGS as Datadog's tracers do: entries separated by commas, or by spaces when there is no comma; an entry is
    /// split at its first <c>:</c>, an entry without one is a key with an empty value, an entry without a key is dropped, and
    /// a key given twice keeps its last value (in its first place).
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParseTags(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return [];
        }

        var separator = raw.Contains(',', StringComparison.Ordinal) ? ',' : ' ';
        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in raw.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var key = (colon < 0 ? part : part[..colon]).Trim();
            var value = colon < 0 ? string.Empty : part[(colon + 1)..].Trim();
            if (key.Length == 0)
            {
                Diag.InvalidSetting(EnvironmentVariables.DdTags, part, "an entry needs a key");
                continue;
            }

            var index = result.FindIndex(t => t.Key == key);
            if (index >= 0)
            {
                result[index] = new(key, value);
            }
            else
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }

    /// <summary>
    /// A process-wide identity value as Datadog's tracers settle it: the variable (<c>DD_ENV</c>, <c>DD_VERSION</c>), else
    /// the same key's entry of <c>DD_TAGS</c>; an empty entry is none. The one place this is decided, for the spans' resource
    /// and for the sampler's process tags.
    /// </summary>
    internal static string? ProcessValue(IEnvironmentSource env, string variable, IReadOnlyList<KeyValuePair<string, string>> tags, string key) =>
        SettingParsers.Text(env, variable) ?? TagValue(tags, key);

    private static string? TagValue(IReadOnlyList<KeyValuePair<string, string>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value.Length == 0 ? null : tag.Value;
            }
        }

        return null;
    }

    /// <summary>Parses DD_SERVICE_MAPPING (see <see cref="SettingParsers.ServiceMapping"/>).</summary>
    internal static IReadOnlyDictionary<string, string> ParseServiceMapping(string? raw) => SettingParsers.ServiceMapping(raw);

    /// <summary>
    /// The span limits to raise, for names the configuration leaves unset: 2048 attributes with payload capture (a
    /// configured general <c>OTEL_ATTRIBUTE_COUNT_LIMIT</c> counts as set), and room for the batch links plus a few
    /// (propagation conflicts, span pointers) when that is more than the SDK's 128.
    /// </summary>
    private static Dictionary<string, string> SpanLimits(IEnvironmentSource env, bool capture, int maxBatchLinks)
    {
        var limits = new Dictionary<string, string>(StringComparer.Ordinal);
        if (capture && env.Get(EnvironmentVariables.OtelSpanAttributeCountLimit) is null && env.Get(EnvironmentVariables.OtelAttributeCountLimit) is null)
        {
            limits[EnvironmentVariables.OtelSpanAttributeCountLimit] = CapturedPayloadAttributeLimit.ToString(CultureInfo.InvariantCulture);
        }

        var links = maxBatchLinks + 32;
        if (links > DefaultSpanLimit && env.Get(EnvironmentVariables.OtelSpanLinkCountLimit) is null)
        {
            limits[EnvironmentVariables.OtelSpanLinkCountLimit] = links.ToString(CultureInfo.InvariantCulture);
        }

        return limits;
    }

    private static int ParseFlushDeadline(IEnvironmentSource env)
    {
        var raw = SettingParsers.Text(env, EnvironmentVariables.DdApmFlushDeadline);
        if (raw is null)
        {
            return DefaultFlushDeadlineMilliseconds;
        }

        // Datadog's tracers fall back to the default for negative values as well as unparsable ones.
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        Diag.InvalidSetting(EnvironmentVariables.DdApmFlushDeadline, raw, $"expected a non-negative number of milliseconds; using {DefaultFlushDeadlineMilliseconds}");
        return DefaultFlushDeadlineMilliseconds;
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
