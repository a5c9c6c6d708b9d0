// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The raw bytes of one invocation's event: a seekable <see cref="MemoryStream"/>'s own buffer when it exposes it, else a
/// buffer read from the stream (pooled when small, see <see cref="BoundedBuffers"/>). Tracing reads them once, forward
/// (<see cref="Planning.InvocationPlanner"/>); nothing is parsed here. Disposing returns the buffer. A missing, empty or
/// oversized event has no bytes: the invocation is still traced, without trigger data.
/// </summary>
internal sealed class InvocationEvent : IDisposable
{
    /// <summary>Lambda's largest payload is 6 MB (synchronous); anything larger is not read for tracing.</summary>
    public const int MaxEventBytes = 8 * 1024 * 1024;

    private byte[]? rented;
    private ReadOnlyMemory<byte> bytes;

    /// <summary>Gets the event's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => this.bytes;

    /// <summary>Gets the event's JSON: <see cref="Bytes"/> without a leading byte-order mark (<see cref="Utf8Bom"/>).</summary>
    public ReadOnlyMemory<byte> Json => Utf8Bom.Skip(this.bytes);

    /// <summary>
    /// Reads a seekable stream and rewinds it, so the handler reads the same bytes. A stream that cannot seek is left
    /// untouched (reading it would take the event away from the handler) and the invocation is traced without trigger data.
    /// </summary>
    public static InvocationEvent FromSeekableStream(Stream? stream)
    {
        var result = new InvocationEvent();
        if (stream is null)
        {
            return result;
        }

        try
        {
            if (!stream.CanSeek)
            {
                Diag.ExtractionSkipped("event", "the event stream cannot seek, so it is not read for tracing");
                return result;
            }

            var start = stream.Position;
            var length = stream.Length - start;
            if (length <= 0 || length > MaxEventBytes)
            {
                return result;
            }

            if (stream is MemoryStream memory && memory.TryGetBuffer(out var visible))
            {
                // The stream's own bytes, read where they are: the handler reads them only after tracing has.
                result.bytes = visible.AsMemory((int)start, (int)length);
                return result;
            }

            result.ReadFully(stream, (int)length);
            stream.Position = start;
        }
#pragma warning disable CA1031 // A broken event must not break the invocation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.ExtractionSkipped("event", ExceptionText.Message(ex, diagnostic: true));
            result.Dispose();
        }

        return result;
    }

    /// <summary>Gets the resolver of the serializer metadata the event came with (the typed path), which often knows the response type too.</summary>
    public IJsonTypeInfoResolver? TypeResolver { get; private init; }

    /// <summary>
    /// Reads a whole stream (the typed path owns the stream: it deserializes the same bytes for the handler), keeping the
    /// resolver of the event's metadata (<paramref name="typeResolver"/>).
    /// </summary>
    public static InvocationEvent FromWholeStream(Stream stream, IJsonTypeInfoResolver? typeResolver = null)
    {
        var result = new InvocationEvent { TypeResolver = typeResolver };
        result.ReadToEnd(stream);
        return result;
    }

    public void Dispose()
    {
        this.bytes = default;
        if (this.rented is not null)
        {
            BoundedBuffers.Return(this.rented);
            this.rented = null;
        }
    }

    private void ReadFully(Stream stream, int length)
    {
        this.rented = BoundedBuffers.Rent(length);
        var read = 0;
        while (read < length)
        {
            var n = stream.Read(this.rented, read, length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        this.bytes = this.rented.AsMemory(0, read);
    }

    private void ReadToEnd(Stream stream)
    {
        // A seekable stream's length is known: one buffer of that size (plus one byte to see the end).
        var buffer = BoundedBuffers.Rent(stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position + 1, 16, MaxEventBytes) : 16 * 1024);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var larger = BoundedBuffers.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                buffer.AsSpan(0, length).CopyTo(larger);
                BoundedBuffers.Return(buffer);
                buffer = larger;
            }

            var n = stream.Read(buffer, length, buffer.Length - length);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        this.rented = buffer;
        this.bytes = buffer.AsMemory(0, length);
    }
}
