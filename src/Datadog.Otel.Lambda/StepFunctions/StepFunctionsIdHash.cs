// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Datadog.Otel.Lambda.StepFunctions;

/// <summary>
/// The deterministic id derivation Datadog's Lambda libraries and its Step Functions backend share:
/// SHA-256 of the UTF-8 text; "higher 64" is digest bytes 0..7, "lower 64" bytes 8..15, both read
/// big-endian with the most significant bit cleared (a 63-bit Datadog id); 0 becomes 1. Every party
/// must produce the same ids from the same execution, so this is bit-exact or useless.
/// </summary>
internal static class StepFunctionsIdHash
{
    /// <summary>
    /// Longest text (UTF-8 bytes) we hash. Execution ARNs are at most a few hundred bytes and state names
    /// 80 characters; anything far beyond is not a Step Functions context and is refused rather than hashed.
    /// </summary>
    public const int MaxInputBytes = 16 * 1024;

    private const int StackBufferBytes = 512;
    private const ulong Mask63 = 0x7FFF_FFFF_FFFF_FFFFUL;

    /// <summary>Hashes <paramref name="text"/> and returns both 63-bit halves; false when the text is longer than <see cref="MaxInputBytes"/>.</summary>
    public static bool TryHash(ReadOnlySpan<char> text, out ulong higher, out ulong lower)
    {
        higher = 0;
        lower = 0;
        var byteCount = Encoding.UTF8.GetByteCount(text);
        if (byteCount > MaxInputBytes)
        {
            return false;
        }

        byte[]? rented = null;
        var buffer = byteCount <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            Hash(buffer[..written], out higher, out lower);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The parent span id of the Lambda invoked by a state: higher64 of
    /// <c>{executionId}#{stateName}#{enteredTime}</c>, followed by <c>#{retryCount}#{redriveCount}</c> only
    /// when either count is non-zero (older layers hashed without the counts, and ids must not change for them).
    /// </summary>
    public static bool TryParentId(string executionId, string stateName, string enteredTime, long retryCount, long redriveCount, out ulong parentId)
    {
        parentId = 0;
        var withCounts = retryCount != 0 || redriveCount != 0;

        // Three '#' plus two signed 64-bit decimals (at most 20 characters each) for the counts.
        var byteCount = Encoding.UTF8.GetByteCount(executionId) + Encoding.UTF8.GetByteCount(stateName) + Encoding.UTF8.GetByteCount(enteredTime) + 2
            + (withCounts ? 2 + 20 + 20 : 0);
        if (byteCount > MaxInputBytes)
        {
            return false;
        }

        byte[]? rented = null;
        var buffer = byteCount <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var length = Encoding.UTF8.GetBytes(executionId, buffer);
            buffer[length++] = (byte)'#';
            length += Encoding.UTF8.GetBytes(stateName, buffer[length..]);
            buffer[length++] = (byte)'#';
            length += Encoding.UTF8.GetBytes(enteredTime, buffer[length..]);
            if (withCounts)
            {
                length += WriteCount(retryCount, buffer[length..]);
                length += WriteCount(redriveCount, buffer[length..]);
            }

            Hash(buffer[..length], out parentId, out _);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The two 63-bit halves of the SHA-256 of <paramref name="utf8"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> utf8, out ulong higher, out ulong lower)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, digest);
        higher = NonZero(BinaryPrimitives.ReadUInt64BigEndian(digest) & Mask63);
        lower = NonZero(BinaryPrimitives.ReadUInt64BigEndian(digest[8..]) & Mask63);
    }

    // An id of 0 means "no id" to Datadog, so a zero hash is mapped to 1 (both libraries do).
    private static ulong NonZero(ulong value) => value == 0 ? 1 : value;

    private static int WriteCount(long count, Span<byte> destination)
    {
        destination[0] = (byte)'#';
        count.TryFormat(destination[1..], out var written, default, CultureInfo.InvariantCulture);
        return written + 1;
    }
}
