// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Server;

/// <summary>Reads a request body up to a limit, the way the extension's HTTP server buffers it.</summary>
internal static class RequestBodyReader
{
    // After the limit is hit the rest is read and discarded, up to this much, so the client sees the 400 rather
    // than a connection reset while it is still uploading.
    private const long MaxDrainBytes = 64L * 1024 * 1024;

    /// <summary>Returns the body, or null when it is longer than <paramref name="limit"/>, with the number of bytes read.</summary>
    public static async Task<(byte[]? Body, long BytesRead)> ReadAsync(Stream body, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        var capacity = contentLength is { } length && length <= limit ? (int)length : Math.Min(limit, 64 * 1024);
        var buffer = new MemoryStream(capacity);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    await DrainAsync(body, chunk, cancellationToken).ConfigureAwait(false);
                    return (null, total);
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task DrainAsync(Stream body, byte[] chunk, CancellationToken cancellationToken)
    {
        long drained = 0;
        int read;
        while (drained < MaxDrainBytes && (read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            drained += read;
        }
    }
}
