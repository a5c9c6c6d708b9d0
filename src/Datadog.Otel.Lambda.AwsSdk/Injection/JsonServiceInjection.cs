// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Buffers.Text;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// EventBridge (<c>PutEvents</c>: every entry's <c>Detail</c>), Step Functions (<c>StartExecution</c>,
/// <c>StartSyncExecution</c>: <c>input</c>) and Kinesis (<c>PutRecord</c>, <c>PutRecords</c>: every record's
/// base64 <c>Data</c>), as their JSON-protocol marshallers write them. The carrier goes in as <c>_datadog</c> when the
/// payload is a JSON object without one; a rewrite that would pass the service's size limit is dropped.
/// </summary>
internal static class JsonServiceInjection
{
    /// <summary>EventBridge's request limit and Kinesis' record limit (1 MiB).</summary>
    internal const int MaxBytes = 1024 * 1024;

    public static byte[]? EventBridgePutEvents(byte[] body, byte[] carrier)
    {
        var missing = Missing("Detail"u8, carrier);
        var result = JsonBodyMembers.Rewrite(body, "Entries"u8, "Detail"u8, (ReadOnlySpan<byte> value, out string? skipped) =>
            DatadogMember.AddTo(value, carrier, out skipped) is { } detail ? DatadogMember.Quote(detail) : null, missing, "EventBridge entry");
        return Bounded(result, "EventBridge.PutEvents");
    }

    public static byte[]? StepFunctionsStart(byte[] body, byte[] carrier) =>
        JsonBodyMembers.Rewrite(body, default, "input"u8, (ReadOnlySpan<byte> value, out string? skipped) =>
            DatadogMember.AddTo(value, carrier, out skipped) is { } input ? DatadogMember.Quote(input) : null, null, "Step Functions input");

    public static byte[]? KinesisPut(byte[] body, byte[] carrier, bool batch) =>
        JsonBodyMembers.Rewrite(body, batch ? "Records"u8 : default, "Data"u8, (ReadOnlySpan<byte> value, out string? skipped) => KinesisData(value, carrier, out skipped), null, "Kinesis record");

    private static byte[]? KinesisData(ReadOnlySpan<byte> base64, byte[] carrier, out string? skipped)
    {
        var data = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Base64.DecodeFromUtf8(base64, data, out _, out var length) != OperationStatus.Done)
        {
            skipped = "the record data is not base64";
            return null;
        }

        if (DatadogMember.AddTo(data.AsSpan(0, length), carrier, out skipped) is not { } json)
        {
            return null;
        }

        if (json.Length > MaxBytes)
        {
            skipped = "the record would exceed the Kinesis size limit";
            return null;
        }

        var token = new byte[Base64.GetMaxEncodedToUtf8Length(json.Length) + 2];
        token[0] = (byte)'"';
        Base64.EncodeToUtf8(json, token.AsSpan(1), out _, out var written);
        token[written + 1] = (byte)'"';
        return token.AsSpan(0, written + 2).ToArray();
    }

    /// <summary><c>"Detail":"{\"_datadog\":{…}}",</c> for an entry without a Detail (dd-trace-py sends <c>{}</c> plus the carrier).</summary>
    private static byte[] Missing(ReadOnlySpan<byte> name, byte[] carrier)
    {
        var detail = DatadogMember.Quote(DatadogMember.AddTo("{}"u8, carrier, out _)!);
        var member = new byte[name.Length + detail.Length + 4];
        member[0] = (byte)'"';
        name.CopyTo(member.AsSpan(1));
        "\":"u8.CopyTo(member.AsSpan(name.Length + 1));
        detail.CopyTo(member.AsSpan(name.Length + 3));
        member[^1] = (byte)',';
        return member;
    }

    private static byte[]? Bounded(byte[]? body, string target)
    {
        if (body is not null && body.Length >= MaxBytes)
        {
            Datadog.Otel.Lambda.Diagnostics.Diag.InjectionSkipped(target, "the request would exceed the service's size limit");
            return null;
        }

        return body;
    }
}
