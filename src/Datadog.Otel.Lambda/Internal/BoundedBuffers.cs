// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// Byte buffers for work whose size the input decides (events, export requests, decoded data). Up to
/// <see cref="PooledLimit"/> they come from <see cref="ArrayPool{T}.Shared"/>, which keeps returned arrays for reuse
/// (one per size and thread, more per core); larger ones are plain arrays the garbage collector takes back after the
/// invocation. Pooling a 6–9 MB event's buffer kept a 16 MB array per thread that ever handled one: about 60 MB of
/// resident memory a function with tracing off does not have.
/// </summary>
internal static class BoundedBuffers
{
    /// <summary>Largest buffer that goes back to the shared pool.</summary>
    public const int PooledLimit = 1024 * 1024;

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= PooledLimit ? ArrayPool<byte>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<byte>(minimumLength);

    /// <summary>Returns a buffer from <see cref="Rent"/>: to the pool when it is small enough, otherwise to the garbage collector.</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
