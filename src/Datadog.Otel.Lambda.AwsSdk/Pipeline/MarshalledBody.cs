// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// The JSON body of a marshalled request. AWSSDK.Core 4.x marshallers of the JSON protocols write it to a pooled
/// content stream rather than to <see cref="IRequest.Content"/>; only JSON bodies are read (never an S3 object's data).
/// </summary>
internal static class MarshalledBody
{
    /// <summary>Bodies above this are not read: AWS's JSON APIs cap requests well below it.</summary>
    private const int MaxBytes = 8 * 1024 * 1024;

    public static byte[]? ReadJson(IRequest request)
    {
        if (request.Content is { Length: > 0 } content)
        {
            return content;
        }

        if (!IsJson(request) || request.ContentStream is not { CanSeek: true, CanRead: true } stream || stream.Length is 0 or > MaxBytes)
        {
            return null;
        }

        var position = stream.Position;
        try
        {
            stream.Position = 0;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        finally
        {
            stream.Position = position;
        }
    }

    /// <summary>Replaces the body; the marshaller's pooled stream is released since nothing else refers to it.</summary>
    public static void Replace(IRequest request, byte[] body)
    {
        var previous = request.ContentStream;
        request.ContentStream = null;
        request.Content = body;
        previous?.Dispose();
    }

    private static bool IsJson(IRequest request) =>
        request.Headers.TryGetValue("Content-Type", out var type) && type.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase);
}
