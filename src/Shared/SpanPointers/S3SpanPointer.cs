// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.CodeAnalysis;

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>
/// Span-pointer hash of an S3 object: bucket | key (UTF-8) | ETag without its surrounding quotes. The producer has
/// the request's bucket and key and the response's ETag (quoted); the consumer has the notification's
/// <c>s3.bucket.name</c>, <c>s3.object.key</c> and <c>s3.object.eTag</c> (unquoted).
/// </summary>
/// <remarks>
/// S3 notifications URL-encode the key (a space arrives as <c>+</c>); neither Datadog library decodes it, so keys
/// with such characters do not match the producer's hash. We hash what we are given, like they do.
/// </remarks>
internal static class S3SpanPointer
{
    /// <summary>False when a part is missing or the ETag still contains a quote once the surrounding pair is removed.</summary>
    public static bool TryComputeHash(string? bucket, string? key, string? eTag, [NotNullWhen(true)] out string? hash)
    {
        hash = null;
        if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(key) || !TryNormalizeETag(eTag, out var normalizedETag))
        {
            return false;
        }

        var builder = new SpanPointerHash.Builder(stackalloc byte[SpanPointerHash.Builder.StackBytes]);
        try
        {
            builder.Add(bucket);
            builder.Add(key);
            builder.Add(normalizedETag);
            if (!builder.TryFinish(out var computed))
            {
                return false;
            }

            hash = computed;
            return true;
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>
    /// Strips one pair of surrounding double quotes (S3 returns <c>"…"</c>); an ETag that still contains a quote,
    /// or is empty, is refused (as dd-trace-py does), since it cannot match what the other side hashes.
    /// </summary>
    internal static bool TryNormalizeETag(string? eTag, out ReadOnlySpan<char> normalized)
    {
        normalized = eTag;
        if (string.IsNullOrEmpty(eTag))
        {
            return false;
        }

        if (eTag.Length >= 2 && eTag[0] == '"' && eTag[^1] == '"')
        {
            normalized = eTag.AsSpan(1, eTag.Length - 2);
        }

        return !normalized.IsEmpty && !normalized.Contains('"');
    }
}
