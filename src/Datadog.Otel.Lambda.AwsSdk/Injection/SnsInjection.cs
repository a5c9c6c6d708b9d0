// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// SNS over its query protocol: <c>Publish</c> and every <c>PublishBatch</c> entry get the <c>_datadog</c> Binary
/// attribute (the carrier's JSON bytes, base64 as the protocol wants), added as the next
/// <c>MessageAttributes.entry.N</c> parameters the SNS marshaller would have written; not when the message has
/// <c>_datadog</c> or 10 attributes already, or would pass SNS's 256 KiB limit.
/// <para>
/// SNS counts the message and every attribute's name, type and value in UTF-8 bytes, and a batch's limit is the same
/// for all its entries together. Both are counted here as the UTF-8 bytes of the message, the subject and the attribute
/// parameters (binary values as their base64 text, longer than the bytes SNS counts), so the count never falls short.
/// In a batch, the entry that would pass the total and every entry after it are sent unchanged.
/// </para>
/// </summary>
internal static class SnsInjection
{
    /// <summary>SNS's message size limit, and a batch's (all entries), 256 KiB.</summary>
    internal const int MaxMessageBytes = 256 * 1024;

    private const int MaxAttributes = 10;

    private const int MaxBatchEntries = 10;

    public static bool Publish(IDictionary<string, string> parameters, byte[] carrier, bool batch)
    {
        var value = Convert.ToBase64String(carrier);

        // The attribute's name, type and value as SNS counts them (the value's base64 text over-counts its bytes).
        var added = "_datadog".Length + "Binary".Length + value.Length;
        if (!batch)
        {
            var unbounded = long.MaxValue;
            return Inject(parameters, Measure(parameters, string.Empty), added, ref unbounded, value);
        }

        // The total comes first: an entry that fits alone may still not fit with the entries after it.
        var entries = new Entry[MaxBatchEntries];
        var count = 0;
        long total = 0;
        while (count < MaxBatchEntries)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"PublishBatchRequestEntries.member.{count + 1}.");
            if (!parameters.ContainsKey(prefix + "Id"))
            {
                break;
            }

            entries[count] = Measure(parameters, prefix);
            total += entries[count].Bytes;
            count++;
        }

        var room = MaxMessageBytes - total;
        var injected = false;
        for (var i = 0; i < count && room >= 0; i++)
        {
            injected |= Inject(parameters, entries[i], added, ref room, value);
        }

        return injected;
    }

    /// <summary>The message at <paramref name="prefix"/>: its attribute count, whether one is <c>_datadog</c>, its size.</summary>
    private static Entry Measure(IDictionary<string, string> parameters, string prefix)
    {
        var attributesPrefix = prefix + "MessageAttributes.entry.";
        long bytes = ByteCount(parameters, prefix + "Message") + ByteCount(parameters, prefix + "Subject");
        var count = 0;
        var hasDatadog = false;
        while (parameters.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"{attributesPrefix}{count + 1}.Name"), out var name))
        {
            count++;
            hasDatadog |= name == "_datadog";
            var attribute = string.Create(CultureInfo.InvariantCulture, $"{attributesPrefix}{count}.Value.");
            bytes += Encoding.UTF8.GetByteCount(name)
                + ByteCount(parameters, attribute + "DataType")
                + ByteCount(parameters, attribute + "StringValue")
                + ByteCount(parameters, attribute + "BinaryValue");
        }

        return new Entry(attributesPrefix, count, hasDatadog, bytes);
    }

    private static int ByteCount(IDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) ? Encoding.UTF8.GetByteCount(text) : 0;

    /// <summary>
    /// Adds the attribute unless the message has <c>_datadog</c> or 10 attributes, or it or the batch would pass the
    /// limit; <paramref name="room"/> is what the batch may still grow by, set negative when this entry does not fit.
    /// </summary>
    private static bool Inject(IDictionary<string, string> parameters, in Entry message, int added, ref long room, string value)
    {
        string? reason = message.HasDatadog ? "the message already has a _datadog attribute"
            : message.Count >= MaxAttributes ? "the message already has 10 attributes"
            : message.Bytes + added > MaxMessageBytes ? "the message would exceed the SNS size limit"
            : null;
        if (reason is null && added > room)
        {
            room = -1;
            reason = "the batch would exceed the SNS size limit (this entry and the ones after it are sent unchanged)";
        }

        if (reason is not null)
        {
            Diag.InjectionSkipped("SNS message", reason);
            return false;
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"{message.AttributesPrefix}{message.Count + 1}.");
        parameters[prefix + "Name"] = "_datadog";
        parameters[prefix + "Value.DataType"] = "Binary";
        parameters[prefix + "Value.BinaryValue"] = value;
        room -= added;
        return true;
    }

    private readonly record struct Entry(string AttributesPrefix, int Count, bool HasDatadog, long Bytes);
}
