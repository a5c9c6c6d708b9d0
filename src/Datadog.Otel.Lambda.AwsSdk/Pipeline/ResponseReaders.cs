// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// Whether a call's response body must be kept for the instrumentation (<see cref="BufferedResponse"/>): JSON-protocol
/// responses when response payload tagging is on, and the XML bodies that carry the ETag of S3 <c>CopyObject</c> and
/// <c>CompleteMultipartUpload</c> when span pointers are on. Other responses stream to the SDK untouched; so do event
/// streams (<c>application/x-amz-json</c> requests include StartLiveTail and SubscribeToShard), which the wrapper
/// recognises by the response's content type.
/// </summary>
internal static class ResponseReaders
{
    public static bool Wanted(IRequestContext context, AwsSdkSettings settings)
    {
        var request = context.Request;
        if (settings.AddSpanPointers && context.ServiceMetaData?.ServiceId == "S3"
            && request.RequestName is "CopyObjectRequest" or "CompleteMultipartUploadRequest")
        {
            return true;
        }

        return settings.PayloadTagging.ResponsesEnabled
            && request.Headers.TryGetValue("Content-Type", out var type)
            && type.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The body the <see cref="BufferedResponse"/> left in the request context, if any.</summary>
    public static byte[]? Body(IRequestContext context) =>
        context.ContextAttributes is { } attributes && attributes.TryGetValue(BufferedResponse.BodyKey, out var body) ? body as byte[] : null;
}
