// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;

namespace Datadog.Otel.Lambda.AwsSdk.Services;

/// <summary>
/// What the client span of one AWS service needs, computed once per service and shared: the SDK's service id
/// (<c>SQS</c>, <c>DynamoDB</c>, <c>SFN</c> …), the short name Datadog's tracers use (<c>sqs</c>, <c>dynamodb</c>,
/// <c>stepfunctions</c>), and from it the operation name <c>aws.{short}.request</c> and the integration service suffix
/// <c>aws-{short}</c>.
/// </summary>
internal sealed class AwsServiceInfo
{
    private static readonly ConcurrentDictionary<string, AwsServiceInfo> Cache = new(StringComparer.Ordinal);

    private AwsServiceInfo(string serviceId, AwsService kind, string shortName)
    {
        this.ServiceId = serviceId;
        this.Kind = kind;
        this.ShortName = shortName;
        this.OperationName = $"aws.{shortName}.request";
        this.IntegrationName = $"aws-{shortName}";
    }

    /// <summary>Gets the SDK's service id, as in the span name <c>{ServiceId}.{Operation}</c>.</summary>
    public string ServiceId { get; }

    public AwsService Kind { get; }

    /// <summary>Gets the lowercase name Datadog's tracers use (<c>sqs</c>, <c>dynamodb</c>, <c>stepfunctions</c>).</summary>
    public string ShortName { get; }

    /// <summary>Gets the Datadog operation name, <c>aws.{short}.request</c> (dd-trace-dotnet's v1 name).</summary>
    public string OperationName { get; }

    /// <summary>Gets the integration name used for service naming and DD_SERVICE_MAPPING keys: <c>aws-{short}</c>.</summary>
    public string IntegrationName { get; }

    /// <summary>Gets the cached description of <paramref name="serviceId"/> (null or empty: <c>aws</c>).</summary>
    public static AwsServiceInfo For(string? serviceId) =>
        Cache.TryGetValue(serviceId ?? string.Empty, out var info) ? info : Cache.GetOrAdd(serviceId ?? string.Empty, static id => Create(id));

    private static AwsServiceInfo Create(string serviceId)
    {
        var kind = serviceId switch
        {
            "SQS" => AwsService.Sqs,
            "SNS" => AwsService.Sns,
            "S3" => AwsService.S3,
            "DynamoDB" => AwsService.DynamoDb,
            "Kinesis" => AwsService.Kinesis,
            "EventBridge" or "CloudWatch Events" => AwsService.EventBridge,
            "Lambda" => AwsService.Lambda,
            "SFN" => AwsService.StepFunctions,
            _ => AwsService.Other,
        };
        var shortName = kind switch
        {
            AwsService.Sqs => "sqs",
            AwsService.Sns => "sns",
            AwsService.S3 => "s3",
            AwsService.DynamoDb => "dynamodb",
            AwsService.Kinesis => "kinesis",
            AwsService.EventBridge => "eventbridge",
            AwsService.Lambda => "lambda",
            AwsService.StepFunctions => "stepfunctions",
            _ => ShortNameOf(serviceId),
        };
        return new AwsServiceInfo(serviceId.Length == 0 ? "AWS" : serviceId, kind, shortName);
    }

    /// <summary>Lowercase letters and digits of the service id (<c>Secrets Manager</c> → <c>secretsmanager</c>).</summary>
    private static string ShortNameOf(string serviceId)
    {
        Span<char> buffer = stackalloc char[Math.Min(serviceId.Length, 64)];
        var length = 0;
        foreach (var c in serviceId)
        {
            if (length < buffer.Length && char.IsAsciiLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return length == 0 ? "aws" : new string(buffer[..length]);
    }
}
