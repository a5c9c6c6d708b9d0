// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>
/// The standard span-pointer hash: the components' bytes joined with <c>|</c> (0x7C), SHA-256, the first
/// 32 lowercase hex digits (128 bits). Producer and consumer must compute the same bytes from different
/// inputs (an SDK request and a Lambda event), so every component is hashed exactly as specified.
/// </summary>
internal static class SpanPointerHash
{
    /// <summary>Length of a hash in hex digits.</summary>
    public const int Length = 32;

    /// <summary>
    /// Bound on the joined components. The largest real pointer is a DynamoDB item with a 2 KB partition key and a
    /// 1 KB sort key (base64 text for binary keys); anything far larger is not an S3 object or DynamoDB item.
    /// </summary>
    public const int MaxInputBytes = 64 * 1024;

    /// <summary>Hashes text components (UTF-8 each); false when the joined bytes exceed <see cref="MaxInputBytes"/>.</summary>
    public static bool TryCompute(ReadOnlySpan<string> components, out string hash)
    {
        var builder = new Builder(stackalloc byte[Builder.StackBytes]);
        try
        {
            foreach (var component in components)
            {
                builder.Add(component);
            }

            return builder.TryFinish(out hash);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The first 32 hex digits of the SHA-256 of <paramref name="joined"/> (the components already joined).</summary>
    public static string Compute(ReadOnlySpan<byte> joined)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(joined, digest);
        var high = BinaryPrimitives.ReadUInt64BigEndian(digest);
        var low = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        return string.Create(Length, (high, low), static (chars, state) =>
        {
            DatadogIds.WriteHex16(state.high, chars);
            DatadogIds.WriteHex16(state.low, chars[16..]);
        });
    }

    /// <summary>
    /// Joins components into a stack buffer, moving to a pooled one when they outgrow it. Usage:
    /// <c>var b = new Builder(stackalloc byte[Builder.StackBytes]); try { b.Add(..); b.TryFinish(out h); } finally { b.Dispose(); }</c>.
    /// </summary>
    internal ref struct Builder
    {
        public const int StackBytes = 256;

        private Span<byte> buffer;
        private byte[]? rented;
        private int length;
        private int count;
        private bool overflow;

        public Builder(Span<byte> initialBuffer)
        {
            buffer = initialBuffer;
        }

        public void Add(ReadOnlySpan<char> component)
        {
            var byteCount = Encoding.UTF8.GetByteCount(component);
            if (Reserve(byteCount))
            {
                length += Encoding.UTF8.GetBytes(component, buffer[length..]);
            }
        }

        public void Add(ReadOnlySpan<byte> component)
        {
            if (Reserve(component.Length))
            {
                component.CopyTo(buffer[length..]);
                length += component.Length;
            }
        }

        public readonly bool TryFinish(out string hash)
        {
            hash = string.Empty;
            if (overflow)
            {
                return false;
            }

            hash = Compute(buffer[..length]);
            return true;
        }

        public void Dispose()
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
                rented = null;
            }
        }

        // Makes room for the separator (after the first component) and the component; false once over the bound.
        private bool Reserve(int componentBytes)
        {
            if (overflow)
            {
                return false;
            }

            var separator = count++ > 0 ? 1 : 0;
            var needed = length + separator + componentBytes;
            if (needed > MaxInputBytes)
            {
                overflow = true;
                return false;
            }

            if (needed > buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
                buffer[..length].CopyTo(larger);
                Dispose();
                rented = larger;
                buffer = larger;
            }

            if (separator == 1)
            {
                buffer[length++] = (byte)'|';
            }

            return true;
        }
    }
}
