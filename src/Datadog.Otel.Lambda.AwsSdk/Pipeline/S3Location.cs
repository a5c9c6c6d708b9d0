// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// The bucket and key of an S3 request. AWSSDK.S3 4.x marshals only the key (<c>{Key+}</c>); the bucket goes into the
/// endpoint when it is resolved (after the marshaller): the first path segment with path-style addressing, the first
/// host label with virtual-hosted addressing (<c>bucket.s3.us-east-1.amazonaws.com</c>).
/// </summary>
internal static class S3Location
{
    public static string? Key(IRequest request) =>
        request.PathResources.TryGetValue("{Key+}", out var key) && key.Length > 0 ? key : null;

    public static string? Bucket(IRequest request)
    {
        if (request.PathResources.TryGetValue("{Bucket}", out var marshalled) && marshalled.Length > 0)
        {
            return marshalled;
        }

        if (request.Endpoint is not { } endpoint)
        {
            return null;
        }

        var path = endpoint.AbsolutePath.AsSpan().Trim('/');
        if (path.Length > 0)
        {
            var slash = path.IndexOf('/');
            return Uri.UnescapeDataString((slash < 0 ? path : path[..slash]).ToString());
        }

        var host = endpoint.Host;
        var index = host.IndexOf(".s3", StringComparison.Ordinal);
        return index > 0 ? host[..index] : null;
    }
}
