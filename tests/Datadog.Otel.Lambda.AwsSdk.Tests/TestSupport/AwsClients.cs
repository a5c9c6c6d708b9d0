// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>Real AWS SDK clients pointed at the loopback emulators (created after AddDatadogAwsSdkInstrumentation, as users must).</summary>
internal static class AwsClients
{
    private static readonly BasicAWSCredentials Credentials = new("test", "test");

    public static AmazonSQSClient Sqs(AwsEmulators emulators) =>
        new(Credentials, new AmazonSQSConfig { ServiceURL = emulators.Fauxqs.ToString(), AuthenticationRegion = "us-east-1" });

    public static AmazonS3Client S3(AwsEmulators emulators) =>
        new(Credentials, new AmazonS3Config { ServiceURL = emulators.Fauxqs.ToString(), AuthenticationRegion = "us-east-1", ForcePathStyle = true });

    public static AmazonDynamoDBClient DynamoDb(AwsEmulators emulators) =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = emulators.Dynalite.ToString(), AuthenticationRegion = "us-east-1" });
}
