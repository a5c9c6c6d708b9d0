// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>Which side of an AWS SDK call a payload is.</summary>
internal enum AwsPayloadDirection
{
    Request,
    Response,
}
