// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Attribute names. The first group is what the Datadog extension maps from OTLP (set them first: the SDK's
/// attribute limit drops later ones); then Datadog's Lambda tags; then OpenTelemetry semantic conventions.
/// </summary>
internal static class TagNames
{
    // Mapped by the extension (spec: datadog-extension-otlp.md §2).
    public const string OperationName = "operation.name";
    public const string ResourceName = "resource.name";
    public const string SpanType = "span.type";
    public const string DatadogService = "datadog.service";
    public const string SamplingPriority = "sampling.priority";
    public const string ErrorMessage = "error.msg";
    public const string ErrorType = "error.type";
    public const string ErrorStack = "error.stack";

    // Datadog Lambda tags (spec: datadog-lambda-behaviour.md §3).
    public const string SpanKind = "span.kind";
    public const string ColdStart = "cold_start";
    public const string ProactiveInitialization = "proactive_initialization";
    public const string FunctionArn = "function_arn";
    public const string FunctionVersion = "function_version";
    public const string FunctionName = "functionname";
    public const string ResourceNames = "resource_names";
    public const string RequestId = "request_id";
    public const string DatadogLambdaVersion = "datadog_lambda";
    public const string SpanName = "span.name";
    public const string InferredSpanMetric = "_dd._inferred_span";
    public const string OperationNameTag = "operation_name";
    public const string ParentSource = "_dd.parent_source";
    public const string ParentId = "_dd.parent_id";
    public const string PropagationError = "_dd.propagation_error";
    public const string Origin = "_dd.origin";
    public const string HttpStatusCode = "http.status_code";
    public const string EventSource = "function_trigger.event_source";
    public const string EventSourceArn = "function_trigger.event_source_arn";
    public const string InitializationType = "init_type";

    // OpenTelemetry semantic conventions.
    public const string FaasName = "faas.name";
    public const string FaasVersion = "faas.version";
    public const string FaasInvocationId = "faas.invocation_id";
    public const string FaasColdStart = "faas.coldstart";
    public const string FaasTrigger = "faas.trigger";
    public const string FaasInstance = "faas.instance";
    public const string FaasMaxMemory = "faas.max_memory";
    public const string CloudProvider = "cloud.provider";
    public const string CloudPlatform = "cloud.platform";
    public const string CloudRegion = "cloud.region";
    public const string CloudAccountId = "cloud.account.id";
    public const string CloudResourceId = "cloud.resource_id";
    public const string AwsLambdaInvokedArn = "aws.lambda.invoked_arn";
    public const string AwsLogGroupNames = "aws.log.group.names";
    public const string ServiceName = "service.name";
    public const string ServiceVersion = "service.version";
    public const string DeploymentEnvironmentName = "deployment.environment.name";
}
