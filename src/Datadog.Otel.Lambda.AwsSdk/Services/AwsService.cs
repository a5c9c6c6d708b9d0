// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Services;

/// <summary>The AWS services this package knows more about than their name.</summary>
internal enum AwsService
{
    Other,
    Sqs,
    Sns,
    S3,
    DynamoDb,
    Kinesis,
    EventBridge,
    Lambda,
    StepFunctions,
}
