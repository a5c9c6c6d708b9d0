// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>A span link as the extension forwards it: one entry of the meta <c>_dd.span_links</c> JSON.</summary>
public sealed class DatadogSpanLink
{
    internal DatadogSpanLink(string traceIdHex, string spanIdHex, string? traceState, IReadOnlyDictionary<string, string> attributes, uint droppedAttributesCount)
    {
        TraceIdHex = traceIdHex;
        SpanIdHex = spanIdHex;
        TraceState = traceState;
        Attributes = attributes;
        DroppedAttributesCount = droppedAttributesCount;
    }

    /// <summary>Gets the linked trace id as lower-case hex (32 characters for a 16-byte id).</summary>
    public string TraceIdHex { get; }

    /// <summary>Gets the linked span id as lower-case hex (16 characters for an 8-byte id).</summary>
    public string SpanIdHex { get; }

    /// <summary>Gets the link's W3C trace state, or null when it had none.</summary>
    public string? TraceState { get; }

    /// <summary>Gets the link's attributes; the extension keeps only their text.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Gets the number of attributes the sender dropped from the link.</summary>
    public uint DroppedAttributesCount { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{TraceIdHex}/{SpanIdHex}";
}
