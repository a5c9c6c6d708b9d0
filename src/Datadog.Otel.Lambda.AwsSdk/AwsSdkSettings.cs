// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.AwsSdk.Payload;
using Datadog.Otel.Lambda.AwsSdk.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk;

/// <summary>
/// The AWS SDK instrumentation's settings, read once per provider from its configuration (Datadog's names and defaults;
/// environment variables are one of the configuration's sources).
/// </summary>
internal sealed class AwsSdkSettings
{
    public static readonly AwsSdkSettings Default = new();

    /// <summary>Gets a value indicating whether trace context is written into outgoing payloads (DD_BOTOCORE_DISTRIBUTED_TRACING).</summary>
    public bool InjectContext { get; init; } = true;

    /// <summary>Gets a value indicating whether S3 and DynamoDB writes get span pointers (DD_TRACE_AWS_ADD_SPAN_POINTERS).</summary>
    public bool AddSpanPointers { get; init; } = true;

    /// <summary>Gets a value indicating whether Lambda Invoke puts the carrier under <c>custom._datadog</c> (DD_BOTOCORE_INVOKE_WITH_LEGACY_CONTEXT).</summary>
    public bool LegacyLambdaContext { get; init; }

    /// <summary>Gets a value indicating whether client spans keep the application's service (DD_TRACE_REMOVE_INTEGRATION_SERVICE_NAMES_ENABLED).</summary>
    public bool RemoveIntegrationServiceNames { get; init; }

    /// <summary>Gets the service outside an invocation: DD_SERVICE, OTEL_SERVICE_NAME, the function name, <c>aws.lambda</c>.</summary>
    public string ServiceName { get; init; } = "aws.lambda";

    /// <summary>Gets DD_SERVICE_MAPPING (keys such as <c>aws-sqs</c>).</summary>
    public IReadOnlyDictionary<string, string> ServiceMapping { get; init; } = new Dictionary<string, string>();

    public DynamoDbPrimaryKeys PrimaryKeys { get; init; } = DynamoDbPrimaryKeys.None;

    public AwsPayloadTaggingSettings PayloadTagging { get; init; } = AwsPayloadTaggingSettings.Disabled;

    /// <summary>
    /// Gets the span attribute limit payload tagging needs (it adds up to DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS
    /// attributes; OpenTelemetry's exporter keeps 128 unless configured), when the configuration sets none.
    /// </summary>
    public IReadOnlyDictionary<string, string> SpanLimitDefaults { get; init; } = new Dictionary<string, string>();

    public static AwsSdkSettings FromEnvironment(IEnvironmentSource env)
    {
        var keysVariable = env.Get(AwsSdkEnvironmentVariables.DynamoDbPrimaryKeys) is { Length: > 0 }
            ? AwsSdkEnvironmentVariables.DynamoDbPrimaryKeys
            : AwsSdkEnvironmentVariables.BotocoreDynamoDbPrimaryKeys;
        var payloadTagging = AwsPayloadTaggingSettings.FromEnvironment(env);
        var limits = new Dictionary<string, string>(StringComparer.Ordinal);
        if (payloadTagging.Enabled && env.Get(EnvironmentVariables.OtelSpanAttributeCountLimit) is null && env.Get(EnvironmentVariables.OtelAttributeCountLimit) is null)
        {
            limits[EnvironmentVariables.OtelSpanAttributeCountLimit] = Math.Max(2048, payloadTagging.MaxTags + 256).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new AwsSdkSettings
        {
            InjectContext = SettingParsers.Bool(env, AwsSdkEnvironmentVariables.DistributedTracing, true),
            AddSpanPointers = SettingParsers.Bool(env, EnvironmentVariables.DdTraceAwsAddSpanPointers, SettingParsers.Bool(env, EnvironmentVariables.DdBotocoreAddSpanPointers, true)),
            LegacyLambdaContext = SettingParsers.Bool(env, AwsSdkEnvironmentVariables.InvokeWithLegacyContext, false),
            RemoveIntegrationServiceNames = SettingParsers.Bool(env, AwsSdkEnvironmentVariables.RemoveIntegrationServiceNames, false),
            ServiceName = SettingParsers.Text(env, EnvironmentVariables.DdService)
                ?? SettingParsers.Text(env, EnvironmentVariables.OtelServiceName)
                ?? SettingParsers.Text(env, EnvironmentVariables.AwsLambdaFunctionName)
                ?? "aws.lambda",
            ServiceMapping = SettingParsers.ServiceMapping(SettingParsers.Text(env, EnvironmentVariables.DdServiceMapping)),
            PrimaryKeys = DynamoDbPrimaryKeys.Parse(keysVariable, env.Get(keysVariable)),
            PayloadTagging = payloadTagging,
            SpanLimitDefaults = limits,
        };
    }
}
