// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>Names of every environment variable the distribution reads (Datadog's names and defaults).</summary>
internal static class EnvironmentVariables
{
    // Datadog: unified service tagging and switches.
    public const string DdTraceEnabled = "DD_TRACE_ENABLED";
    public const string DdService = "DD_SERVICE";
    public const string DdEnv = "DD_ENV";
    public const string DdVersion = "DD_VERSION";
    public const string DdTags = "DD_TAGS";
    public const string DdLogLevel = "DD_LOG_LEVEL";
    public const string DdTraceManagedServices = "DD_TRACE_MANAGED_SERVICES";
    public const string DdServiceMapping = "DD_SERVICE_MAPPING";
    public const string DdServiceRepresentation = "DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED";
    public const string DdColdStartTracing = "DD_COLD_START_TRACING";
    public const string DdApmFlushDeadline = "DD_APM_FLUSH_DEADLINE_MILLISECONDS";
    public const string DdMergeXRayTraces = "DD_MERGE_XRAY_TRACES";
    public const string DdTraceExtractor = "DD_TRACE_EXTRACTOR";
    public const string DdEncodeAuthorizerContext = "DD_ENCODE_AUTHORIZER_CONTEXT";
    public const string DdDecodeAuthorizerContext = "DD_DECODE_AUTHORIZER_CONTEXT";
    public const string DdCaptureLambdaPayload = "DD_CAPTURE_LAMBDA_PAYLOAD";
    public const string DdCaptureLambdaPayloadMaxDepth = "DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH";
    public const string DdLogsInjection = "DD_LOGS_INJECTION";
    public const string DdTrace128BitLogging = "DD_TRACE_128_BIT_TRACEID_LOGGING_ENABLED";
    public const string DdTrace128BitGeneration = "DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED";
    public const string DdBotocoreAddSpanPointers = "DD_BOTOCORE_ADD_SPAN_POINTERS";
    public const string DdTraceAwsAddSpanPointers = "DD_TRACE_AWS_ADD_SPAN_POINTERS";

    // Datadog: AWS SDK payload tagging (dd-trace's names).
    public const string DdCloudRequestPayloadTagging = "DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING";
    public const string DdCloudResponsePayloadTagging = "DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING";
    public const string DdCloudPayloadTaggingMaxDepth = "DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_DEPTH";
    public const string DdCloudPayloadTaggingMaxTags = "DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS";
    public const string DdCloudPayloadTaggingServices = "DD_TRACE_CLOUD_PAYLOAD_TAGGING_SERVICES";

    // Datadog: propagation and sampling.
    public const string DdPropagationStyle = "DD_TRACE_PROPAGATION_STYLE";
    public const string DdPropagationStyleExtract = "DD_TRACE_PROPAGATION_STYLE_EXTRACT";
    public const string DdPropagationStyleInject = "DD_TRACE_PROPAGATION_STYLE_INJECT";
    public const string DdPropagationStyleExtractLegacy = "DD_PROPAGATION_STYLE_EXTRACT";
    public const string DdPropagationStyleInjectLegacy = "DD_PROPAGATION_STYLE_INJECT";
    public const string DdPropagationExtractFirst = "DD_TRACE_PROPAGATION_EXTRACT_FIRST";
    public const string DdPropagationBehaviorExtract = "DD_TRACE_PROPAGATION_BEHAVIOR_EXTRACT";
    public const string DdXDatadogTagsMaxLength = "DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH";
    public const string DdTraceSampleRate = "DD_TRACE_SAMPLE_RATE";
    public const string DdTraceSamplingRules = "DD_TRACE_SAMPLING_RULES";
    public const string DdTraceSamplingRulesFormat = "DD_TRACE_SAMPLING_RULES_FORMAT";
    public const string DdTraceRateLimit = "DD_TRACE_RATE_LIMIT";
    public const string DdMaxTracesPerSecond = "DD_MAX_TRACES_PER_SECOND";

    // This distribution's own switches (no Datadog equivalent exists).
    public const string DdOtelExportSampledOut = "DD_OTEL_LAMBDA_EXPORT_SAMPLED_OUT";
    public const string DdOtelFlushTimeout = "DD_OTEL_LAMBDA_FLUSH_TIMEOUT_MILLISECONDS";
    public const string DdOtelMaxBatchLinks = "DD_OTEL_LAMBDA_MAX_BATCH_LINKS";
    public const string DdOtelRedactedKeys = "DD_OTEL_LAMBDA_REDACTED_KEYS";

    // OpenTelemetry.
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
    public const string OtelPropagators = "OTEL_PROPAGATORS";
    public const string OtelTracesExporter = "OTEL_TRACES_EXPORTER";
    public const string OtelTracesSampler = "OTEL_TRACES_SAMPLER";
    public const string OtelTracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";
    public const string OtelExporterOtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtelExporterOtlpTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string OtelExporterOtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string OtelExporterOtlpTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    public const string OtelExporterOtlpHeaders = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string OtelExporterOtlpTracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    public const string OtelExporterOtlpTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public const string OtelExporterOtlpTracesTimeout = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
    public const string OtelExporterOtlpCompression = "OTEL_EXPORTER_OTLP_COMPRESSION";
    public const string OtelSpanAttributeCountLimit = "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT";
    public const string OtelAttributeCountLimit = "OTEL_ATTRIBUTE_COUNT_LIMIT";
    public const string OtelSpanLinkCountLimit = "OTEL_SPAN_LINK_COUNT_LIMIT";
    public const string OtelSpanEventCountLimit = "OTEL_SPAN_EVENT_COUNT_LIMIT";
    public const string OtelAttributeValueLengthLimit = "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT";

    // AWS Lambda runtime.
    public const string AwsLambdaFunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    public const string AwsLambdaFunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";
    public const string AwsLambdaFunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    public const string AwsLambdaLogGroupName = "AWS_LAMBDA_LOG_GROUP_NAME";
    public const string AwsLambdaLogStreamName = "AWS_LAMBDA_LOG_STREAM_NAME";
    public const string AwsLambdaInitializationType = "AWS_LAMBDA_INITIALIZATION_TYPE";
    public const string AwsLambdaRuntimeApi = "AWS_LAMBDA_RUNTIME_API";
    public const string AwsLambdaLogFormat = "AWS_LAMBDA_LOG_FORMAT";
    public const string AwsLambdaLogLevel = "AWS_LAMBDA_LOG_LEVEL";
    public const string AwsRegion = "AWS_REGION";
    public const string AwsDefaultRegion = "AWS_DEFAULT_REGION";
    public const string AwsExecutionEnv = "AWS_EXECUTION_ENV";
    public const string XAmznTraceId = "_X_AMZN_TRACE_ID";
    public const string AwsXRayDaemonAddress = "AWS_XRAY_DAEMON_ADDRESS";
}
