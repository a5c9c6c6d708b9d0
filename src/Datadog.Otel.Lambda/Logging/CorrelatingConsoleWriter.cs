// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// A console writer that adds the current span's ids to every line written inside a traced invocation. Text format:
/// the line gets the <c>[dd.trace_id=… dd.span_id=…]</c> prefix and goes on to the writer below (Lambda's runtime then
/// adds its timestamp, request id and level). JSON format: the line becomes one JSON object in the shape of Lambda's
/// JSON application logs with the ids under <c>dd</c>, written with <c>Write</c>, which the runtime passes through
/// unchanged (its <c>WriteLine</c> would put our object inside its own <c>message</c> string). Lines outside an
/// invocation, partial writes (<c>Write</c>) and empty lines pass through untouched.
/// </summary>
internal sealed class CorrelatingConsoleWriter : TextWriter
{
    private readonly TextWriter inner;
    private readonly bool isError;
    private readonly bool json;

    public CorrelatingConsoleWriter(TextWriter inner, bool isError, bool json)
        : base(inner.FormatProvider)
    {
        this.inner = inner;
        this.isError = isError;
        this.json = json;
    }

    public override Encoding Encoding => this.inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => this.inner.NewLine;
        set => this.inner.NewLine = value;
    }

    public override void Write(char value) => this.inner.Write(value);

    public override void Write(string? value) => this.inner.Write(value);

    public override void Write(char[] buffer, int index, int count) => this.inner.Write(buffer, index, count);

    public override void Write(ReadOnlySpan<char> buffer) => this.inner.Write(buffer);

    public override void WriteLine() => this.inner.WriteLine();

    // TextWriter's WriteLine of an object or a format string formats and calls WriteLine(string); its WriteLine of a
    // primitive writes the value and then a line break, which would pass the line through without the ids.
    public override void WriteLine(bool value) => this.WriteLine(value ? "True" : "False");

    public override void WriteLine(char value) => this.WriteLine(value.ToString());

    public override void WriteLine(int value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(uint value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(long value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(ulong value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(float value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(double value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(decimal value) => this.WriteLine(value.ToString(this.FormatProvider));

    public override void WriteLine(string? value)
    {
        if (LogCorrelation.Current() is { } correlation)
        {
            this.WriteCorrelated(value ?? string.Empty, correlation);
        }
        else
        {
            this.inner.WriteLine(value);
        }
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        if (LogCorrelation.Current() is { } correlation)
        {
            this.WriteCorrelated(new string(buffer), correlation);
        }
        else
        {
            this.inner.WriteLine(buffer);
        }
    }

    public override void WriteLine(char[]? buffer) => this.WriteLine(buffer.AsSpan());

    public override void WriteLine(char[] buffer, int index, int count) => this.WriteLine(buffer.AsSpan(index, count));

    public override void WriteLine(StringBuilder? value) => this.WriteLine(value?.ToString());

    public override void Flush() => this.inner.Flush();

    public override Task FlushAsync() => this.inner.FlushAsync();

    private void WriteCorrelated(string message, DatadogLogContext correlation)
    {
        if (!this.json)
        {
            this.inner.WriteLine(string.Concat(correlation.Prefix, " ", message));
            return;
        }

        var invocation = CurrentInvocation.Value;
        var line = JsonLogLine.Rent();
        line.WriteHead(DateTimeOffset.UtcNow, this.isError ? "ERROR" : "INFO", invocation?.AwsRequestId, invocation?.XRayTraceHeader);
        line.Writer.WriteString(JsonLogLine.Names.Message, message);
        correlation.WriteTo(line.Writer);
        line.WriteTo(this.inner);
    }
}
