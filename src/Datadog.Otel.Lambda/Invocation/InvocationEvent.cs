// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The raw event of one invocation, read into a buffer (pooled when small, see <see cref="BoundedBuffers"/>) and parsed
/// once, or its digest when it is too large for one bounded parse (<see cref="SafeJson"/>). Disposing returns the buffer.
/// A missing, empty, oversized or invalid event yields <see cref="Root"/> = null: the invocation is still traced, without
/// trigger data.
/// </summary>
internal sealed class InvocationEvent : IDisposable
{
    /// <summary>Lambda's largest payload is 6 MB (synchronous); anything larger is not read for tracing.</summary>
    public const int MaxEventBytes = 8 * 1024 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip };

    private byte[]? rented;
    private ReadOnlyMemory<byte> borrowed;
    private JsonDocument? document;

    public JsonElement? Root { get; private set; }

    /// <summary>The event's bytes: a buffer this instance owns, or the caller's own memory (the bytes overloads).</summary>
    public ReadOnlyMemory<byte> Bytes => this.rented is not null ? this.rented.AsMemory(0, this.Length) : this.borrowed;

    /// <summary>The event's JSON: <see cref="Bytes"/> without a leading byte-order mark (<see cref="Utf8Bom"/>).</summary>
    public ReadOnlyMemory<byte> Json => Utf8Bom.Skip(this.Bytes);

    public int Length { get; private set; }

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

            result.ReadFully(stream, (int)length);
            stream.Position = start;
            result.Parse();
        }
#pragma warning disable CA1031 // A broken event must not break the invocation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.ExtractionSkipped("event", ExceptionText.Message(ex, diagnostic: true));
            result.Root = null;
        }

        return result;
    }

    /// <summary>Reads a whole stream (the typed path owns the stream: it deserializes the same bytes for the handler).</summary>
    public static InvocationEvent FromWholeStream(Stream stream, bool parse)
    {
        var result = new InvocationEvent();
        result.ReadToEnd(stream);
        if (parse)
        {
            result.TryParse();
        }

        return result;
    }

    /// <summary>Wraps an event the caller already parsed; nothing is copied and nothing is owned.</summary>
    public static InvocationEvent FromElement(JsonElement element)
    {
#if NET9_0_OR_GREATER
        // The caller parsed the event. When some of its strings cannot be read (see SafeJson), trace a repaired copy;
        // .NET 8 has no way to see the raw bytes without copying every event, so there such an event is not traced.
        if (element.ValueKind != JsonValueKind.Undefined && SafeJson.NeedsRepair(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element)))
        {
            var repaired = new InvocationEvent();
            try
            {
                repaired.document = SafeJson.Parse(SafeJson.Repair(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element)), ParseOptions);
                repaired.Root = repaired.document.RootElement;
            }
            catch (JsonException ex)
            {
                Diag.ExtractionSkipped("event", "the event was not parsed: " + ExceptionText.Message(ex, diagnostic: true));
            }

            return repaired;
        }
#endif
        return new() { Root = element };
    }

    /// <summary>
    /// Parses the caller's bytes where they are, without a copy: they stay valid until the handler is called, and the
    /// event is disposed before that.
    /// </summary>
    public static InvocationEvent FromBytes(ReadOnlyMemory<byte> bytes)
    {
        var result = new InvocationEvent();
        if (bytes.IsEmpty || bytes.Length > MaxEventBytes)
        {
            return result;
        }

        result.borrowed = bytes;
        result.Length = bytes.Length;
        result.TryParse();
        return result;
    }

    public void Dispose()
    {
        this.document?.Dispose();
        this.document = null;
        this.Root = null;
        this.borrowed = default;
        if (this.rented is not null)
        {
            BoundedBuffers.Return(this.rented);
            this.rented = null;
        }
    }

    private void TryParse()
    {
        try
        {
            this.Parse();
        }
        catch (JsonException ex)
        {
            Diag.ExtractionSkipped("event", "the event was not parsed: " + ExceptionText.Message(ex, diagnostic: true));
            this.Root = null;
        }
    }

    private void Parse()
    {
        var json = this.Json;
        if (json.IsEmpty)
        {
            return;
        }

        // An event too large for one bounded parse is read from its digest (the handler still gets every byte).
        this.document = SafeJson.ParseOrDigest(json, ParseOptions, "event");
        if (this.document is null)
        {
            return;
        }

        this.Root = this.document.RootElement;
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

        this.Length = read;
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
        this.Length = length;
    }
}
