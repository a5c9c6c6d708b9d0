// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Builds one JSON log line in the shape of Lambda's JSON application logs (<c>timestamp</c>, <c>level</c> in Lambda's
/// words so that log-level filtering reads it, <c>requestId</c>, <c>traceId</c>, <c>message</c>) and writes it to a
/// <see cref="TextWriter"/> with a single <c>Write</c> call, which Lambda's runtime passes through unchanged as one
/// record (its <c>WriteLine</c> would wrap the line in another JSON object). One builder per thread is reused.
/// </summary>
internal sealed class JsonLogLine
{
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static JsonLogLine? cached;

    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly Utf8JsonWriter writer;

    private JsonLogLine()
    {
        // Log text is not HTML: keep quotes, '<', '+' and non-ASCII readable in CloudWatch.
        this.writer = new Utf8JsonWriter(this.buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public Utf8JsonWriter Writer => this.writer;

    /// <summary>Takes this thread's builder (a new one when it is in use, e.g. a log line written while formatting another).</summary>
    public static JsonLogLine Rent()
    {
        var line = cached ?? new JsonLogLine();
        cached = null;
        line.buffer.ResetWrittenCount();
        line.writer.Reset(line.buffer);
        return line;
    }

    /// <summary>Lambda's level names (log-level filtering only understands these).</summary>
    public static string LevelName(int level) => level switch
    {
        0 => "TRACE",
        1 => "DEBUG",
        2 => "INFO",
        3 => "WARN",
        4 => "ERROR",
        _ => "FATAL",
    };

    /// <summary>Starts the object with the fields every Lambda JSON log line has (the last two inside an invocation).</summary>
    public void WriteHead(DateTimeOffset timestamp, string level, string? requestId, string? traceId)
    {
        var json = this.writer;
        json.WriteStartObject();
        Span<char> time = stackalloc char[24];
        timestamp.UtcDateTime.TryFormat(time, out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        json.WriteString(Names.Timestamp, time[..written]);
        json.WriteString(Names.Level, level);
        if (requestId is not null)
        {
            json.WriteString(Names.RequestId, requestId);
        }

        if (traceId is not null)
        {
            json.WriteString(Names.TraceId, traceId);
        }
    }

    /// <summary>Ends the object and writes it and a newline to <paramref name="output"/> in one call; returns the builder.</summary>
    public void WriteTo(TextWriter output)
    {
        this.writer.WriteEndObject();
        this.writer.Flush();
        var bytes = this.buffer.WrittenSpan;
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bytes.Length) + 1);
        try
        {
            var count = Encoding.UTF8.GetChars(bytes, chars);
            chars[count] = '\n';
            output.Write(chars, 0, count + 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            this.Return();
        }
    }

    /// <summary>Ends the object and returns it as a string (no newline); returns the builder.</summary>
    public string ToLine()
    {
        this.writer.WriteEndObject();
        this.writer.Flush();
        var line = Encoding.UTF8.GetString(this.buffer.WrittenSpan);
        this.Return();
        return line;
    }

    private void Return()
    {
        if (this.buffer.Capacity <= MaxKeptCapacity)
        {
            cached = this;
        }
    }

    internal static class Names
    {
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText Level = JsonEncodedText.Encode("level");
        public static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
        public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    }
}
