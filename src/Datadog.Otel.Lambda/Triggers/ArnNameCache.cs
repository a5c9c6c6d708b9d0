// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The last source ARN a trigger read and its resource name (queue, topic, stream). A function is almost always
/// triggered by the same source, so the strings are reused instead of being read from the event and cut again on every
/// invocation. The entry is immutable and swapped atomically: concurrent invocations at worst replace it.
/// </summary>
internal sealed class ArnNameCache
{
    private const int MaxArnLength = 2048;

    private Entry? last;

    /// <summary>Reads the string member <paramref name="field"/> as an ARN; null when it is absent or not a string.</summary>
    public string? Read(in EventView view, int field, out string? resourceName)
    {
        resourceName = null;
        if (!view.IsString(field))
        {
            return null;
        }

        var entry = Volatile.Read(ref this.last);
        if (entry is not null && JsonText.StringEquals(view.Raw(field), view.IsEscaped(field), entry.Utf8))
        {
            resourceName = entry.ResourceName;
            return entry.Arn;
        }

        var arn = view.String(field)!;
        entry = new Entry(arn, ServiceNames.LastArnSegment(arn));

        // Kept across invocations only when it can be an ARN (at most 2,048 characters): an event's megabyte string is not.
        if (arn.Length <= MaxArnLength)
        {
            Volatile.Write(ref this.last, entry);
        }

        resourceName = entry.ResourceName;
        return arn;
    }

    private sealed class Entry(string arn, string? resourceName)
    {
        public string Arn { get; } = arn;

        public string? ResourceName { get; } = resourceName;

        public byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(arn);
    }
}
