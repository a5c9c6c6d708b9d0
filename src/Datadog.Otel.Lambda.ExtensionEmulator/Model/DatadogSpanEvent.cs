// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>A span event as the extension forwards it: one entry of the meta <c>events</c> JSON.</summary>
public sealed class DatadogSpanEvent
{
    internal DatadogSpanEvent(string name, ulong timeUnixNano, IReadOnlyDictionary<string, string> attributes, uint droppedAttributesCount)
    {
        Name = name;
        TimeUnixNano = timeUnixNano;
        Attributes = attributes;
        DroppedAttributesCount = droppedAttributesCount;
    }

    /// <summary>Gets the event name (<c>exception</c> for a recorded exception).</summary>
    public string Name { get; }

    /// <summary>Gets the event time in nanoseconds since the Unix epoch (0 when the sender gave none).</summary>
    public ulong TimeUnixNano { get; }

    /// <summary>Gets the event's attributes; the extension keeps only their text.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Gets the number of attributes the sender dropped from the event.</summary>
    public uint DroppedAttributesCount { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
