// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;

namespace Datadog.Otel.Lambda.AwsSdk.SpanPointers;

/// <summary>
/// The ETag in the XML body of S3 <c>CopyObject</c> (<c>CopyObjectResult</c>) and <c>CompleteMultipartUpload</c>
/// responses: the text of the first <c>ETag</c> element, with the quotes S3 escapes as <c>&amp;quot;</c> restored.
/// </summary>
internal static class S3ETag
{
    public static string? FromXml(byte[] body)
    {
        var span = body.AsSpan();
        var start = span.IndexOf("<ETag>"u8);
        if (start < 0)
        {
            return null;
        }

        span = span[(start + "<ETag>".Length)..];
        var end = span.IndexOf("</ETag>"u8);
        if (end <= 0 || end > 1024)
        {
            return null;
        }

        return Encoding.UTF8.GetString(span[..end]).Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&#34;", "\"", StringComparison.Ordinal).Trim();
    }
}
