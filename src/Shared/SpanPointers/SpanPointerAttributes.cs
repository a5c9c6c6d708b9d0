// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>
/// Names and values of the attributes on a span-pointer link. A span pointer is a link with zero trace and
/// span ids; the backend joins producer (<c>d</c>) and consumer (<c>u</c>) links that carry the same kind and hash.
/// </summary>
internal static class SpanPointerAttributes
{
    public const string Kind = "ptr.kind";
    public const string Direction = "ptr.dir";
    public const string Hash = "ptr.hash";
    public const string LinkKind = "link.kind";

    /// <summary>The <see cref="LinkKind"/> value that marks a link as a span pointer.</summary>
    public const string LinkKindSpanPointer = "span-pointer";

    public const string KindS3Object = "aws.s3.object";
    public const string KindDynamoDbItem = "aws.dynamodb.item";

    /// <summary>Upstream: set on the consumer (the Lambda function receiving the S3 or DynamoDB Streams event).</summary>
    public const string DirectionUpstream = "u";

    /// <summary>Downstream: set on the producer (the AWS SDK span that wrote the object or item).</summary>
    public const string DirectionDownstream = "d";
}
