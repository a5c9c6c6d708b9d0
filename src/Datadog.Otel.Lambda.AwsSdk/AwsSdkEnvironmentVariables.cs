// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk;

/// <summary>The environment variables only the AWS SDK instrumentation reads (Datadog's names).</summary>
internal static class AwsSdkEnvironmentVariables
{
    /// <summary>dd-trace-js' name: JSON object of table name to its 1–2 primary key names, for PutItem span pointers.</summary>
    public const string DynamoDbPrimaryKeys = "DD_TRACE_DYNAMODB_TABLE_PRIMARY_KEYS";

    /// <summary>dd-trace-py's name for the same setting.</summary>
    public const string BotocoreDynamoDbPrimaryKeys = "DD_BOTOCORE_DYNAMODB_TABLE_PRIMARY_KEYS";

    /// <summary>dd-trace-py: <c>false</c> stops trace context from being written into outgoing AWS payloads.</summary>
    public const string DistributedTracing = "DD_BOTOCORE_DISTRIBUTED_TRACING";

    /// <summary>dd-trace-py: <c>true</c> puts the Lambda Invoke carrier under <c>custom._datadog</c> instead of <c>custom</c>.</summary>
    public const string InvokeWithLegacyContext = "DD_BOTOCORE_INVOKE_WITH_LEGACY_CONTEXT";

    /// <summary>dd-trace: <c>true</c> keeps the application's service on client spans instead of <c>{service}-aws-{name}</c>.</summary>
    public const string RemoveIntegrationServiceNames = "DD_TRACE_REMOVE_INTEGRATION_SERVICE_NAMES_ENABLED";
}
