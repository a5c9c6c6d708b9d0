// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// SNS over its query protocol: <c>Publish</c> and every <c>PublishBatch</c> entry get the <c>_datadog</c> Binary
/// attribute (the carrier's JSON bytes, base64 as the protocol wants), added as the next
/// <c>MessageAttributes.entry.N</c> parameters the SNS marshaller would have written; not when the message has
/// <c>_datadog</c> or 10 attributes already, or would pass SNS's 256 KiB limit.
/// </summary>
internal static class SnsInjection
{
    internal const int MaxMessageBytes = 256 * 1024;

    private const int MaxAttributes = 10;

    public static bool Publish(IDictionary<string, string> parameters, byte[] carrier, bool batch)
    {
        var value = Convert.ToBase64String(carrier);
        if (!batch)
        {
            return Message(parameters, "MessageAttributes.entry.", "Message", value);
        }

        var injected = false;
        for (var entry = 1; entry <= 10; entry++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"PublishBatchRequestEntries.member.{entry}.");
            if (!parameters.ContainsKey(prefix + "Id"))
            {
                break;
            }

            injected |= Message(parameters, prefix + "MessageAttributes.entry.", prefix + "Message", value);
        }

        return injected;
    }

    private static bool Message(IDictionary<string, string> parameters, string attributesPrefix, string messageKey, string value)
    {
        var count = 0;
        var size = parameters.TryGetValue(messageKey, out var message) ? message.Length : 0;
        while (parameters.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"{attributesPrefix}{count + 1}.Name"), out var name))
        {
            if (name == "_datadog")
            {
                Diag.InjectionSkipped("SNS message", "the message already has a _datadog attribute");
                return false;
            }

            count++;
        }

        string? reason = count >= MaxAttributes ? "the message already has 10 attributes"
            : size + value.Length > MaxMessageBytes ? "the message would exceed the SNS size limit"
            : null;
        if (reason is not null)
        {
            Diag.InjectionSkipped("SNS message", reason);
            return false;
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"{attributesPrefix}{count + 1}.");
        parameters[prefix + "Name"] = "_datadog";
        parameters[prefix + "Value.DataType"] = "Binary";
        parameters[prefix + "Value.BinaryValue"] = value;
        return true;
    }
}
