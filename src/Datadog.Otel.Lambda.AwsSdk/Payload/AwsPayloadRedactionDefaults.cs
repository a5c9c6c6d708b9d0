// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// The redaction paths every tagged AWS payload gets, per service and direction; they cannot be switched off.
/// </summary>
/// <remarks>
/// Taken from both tracers: per service and per direction as dd-trace-js keeps them, with dd-trace-py's
/// recursive descent (<c>$..</c>) instead of dd-trace-js' root anchor (<c>$.</c>), and the union of both lists.
/// A recursive path selects everything the anchored one does, plus the same field inside batch entries
/// (e.g. <c>PublishBatchRequestEntries[*]</c>). SQS, Kinesis and DynamoDB have none.
/// </remarks>
internal static class AwsPayloadRedactionDefaults
{
    public const string Sns = "sns";
    public const string EventBridge = "eventbridge";
    public const string S3 = "s3";
    public const string Sqs = "sqs";
    public const string Kinesis = "kinesis";
    public const string DynamoDb = "dynamodb";

    private static readonly string[] EventBridgeBoth =
    [
        "$..AuthParameters.OAuthParameters.OAuthHttpParameters.HeaderParameters[*].Value",
        "$..AuthParameters.OAuthParameters.OAuthHttpParameters.QueryStringParameters[*].Value",
        "$..AuthParameters.OAuthParameters.OAuthHttpParameters.BodyParameters[*].Value",
        "$..AuthParameters.InvocationHttpParameters.HeaderParameters[*].Value",
        "$..AuthParameters.InvocationHttpParameters.QueryStringParameters[*].Value",
        "$..AuthParameters.InvocationHttpParameters.BodyParameters[*].Value",
        "$..Targets[*].RedshiftDataParameters.Sql",
        "$..Targets[*].RedshiftDataParameters.Sqls",
        "$..Targets[*].AppSyncParameters.GraphQLOperation",
    ];

    private static readonly string[] SnsRequest =
    [
        "$..Attributes.KmsMasterKeyId",
        "$..Attributes.Token",
        "$..Attributes.PlatformCredential",
        "$..Attributes.PlatformPrincipal",
        "$..AWSAccountId",
        "$..Endpoint",
        "$..Token",
        "$..OneTimePassword",
        "$..phoneNumber",
        "$..PhoneNumber",
    ];

    private static readonly string[] SnsResponse =
    [
        "$..Attributes.KmsMasterKeyId",
        "$..Attributes.Token",
        "$..Endpoints.*.Token",
        "$..PhoneNumber",
        "$..PlatformApplication.*.PlatformCredential",
        "$..PlatformApplication.*.PlatformPrincipal",
        "$..Subscriptions.*.Endpoint",
        "$..PhoneNumbers[*].PhoneNumber",
        "$..phoneNumbers[*]",
    ];

    private static readonly string[] EventBridgeRequest =
    [
        .. EventBridgeBoth,
        "$..AuthParameters.BasicAuthParameters.Password",
        "$..AuthParameters.OAuthParameters.ClientParameters.ClientSecret",
        "$..AuthParameters.ApiKeyAuthParameters.ApiKeyValue",
    ];

    private static readonly string[] S3Request =
    [
        "$..SSEKMSKeyId",
        "$..SSEKMSEncryptionContext",
        "$..ServerSideEncryptionConfiguration.Rules[*].ApplyServerSideEncryptionByDefault.KMSMasterKeyID",
        "$..InventoryConfiguration.Destination.S3BucketDestination.Encryption.SSEKMS.KeyId",
        "$..SSECustomerKey",
        "$..CopySourceSSECustomerKey",
        "$..RestoreRequest.OutputLocation.S3.Encryption.KMSKeyId",
    ];

    private static readonly string[] S3Response =
    [
        "$..SSEKMSKeyId",
        "$..SSEKMSEncryptionContext",
        "$..ServerSideEncryptionConfiguration.Rules[*].ApplyServerSideEncryptionByDefault.KMSMasterKeyID",
        "$..InventoryConfiguration.Destination.S3BucketDestination.Encryption.SSEKMS.KeyId",
        "$..Credentials.SecretAccessKey",
        "$..Credentials.SessionToken",
        "$..InventoryConfigurationList[*].Destination.S3BucketDestination.Encryption.SSEKMS.KeyId",
    ];

    /// <summary>The default paths' text for a canonical service name (empty for services without defaults).</summary>
    public static IReadOnlyList<string> For(string canonicalService, AwsPayloadDirection direction) => (canonicalService, direction) switch
    {
        (Sns, AwsPayloadDirection.Request) => SnsRequest,
        (Sns, AwsPayloadDirection.Response) => SnsResponse,
        (EventBridge, AwsPayloadDirection.Request) => EventBridgeRequest,
        (EventBridge, AwsPayloadDirection.Response) => EventBridgeBoth,
        (S3, AwsPayloadDirection.Request) => S3Request,
        (S3, AwsPayloadDirection.Response) => S3Response,
        _ => [],
    };

    /// <summary>
    /// The canonical name of a service as callers may spell it: the service list's names, the AWS SDK's service ids
    /// (<c>SQS</c>, <c>DynamoDB</c>, <c>EventBridge</c>), and the endpoint prefixes dd-trace-py's list uses (<c>events</c>,
    /// <c>states</c>, <c>logs</c>, <c>monitoring</c>, <c>email</c>). dd-trace-py matches its
    /// list against the endpoint prefix, so <c>eventbridge</c> never matches there (EventBridge's prefix is
    /// <c>events</c>); we match by service name, so the default list does tag EventBridge calls.
    /// </summary>
    public static string Canonical(string service)
    {
        var trimmed = service.Trim();
        if (trimmed.Equals("events", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("cloudwatchevents", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("cloudwatch events", StringComparison.OrdinalIgnoreCase))
        {
            return EventBridge;
        }

        if (trimmed.Equals("dynamodbv2", StringComparison.OrdinalIgnoreCase))
        {
            return DynamoDb;
        }

        // dd-trace-py's names are botocore's endpoint prefixes; ours are the SDK's service ids without spaces.
        return trimmed.ToLowerInvariant() switch
        {
            "states" or "sfn" => "stepfunctions",
            "logs" => "cloudwatchlogs",
            "monitoring" => "cloudwatch",
            "email" => "ses",
            var lower => lower,
        };
    }
}
