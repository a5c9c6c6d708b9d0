// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Buffers.Text;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// EventBridge (<c>PutEvents</c>: every entry's <c>Detail</c>), Step Functions (<c>StartExecution</c>,
/// <c>StartSyncExecution</c>: <c>input</c>) and Kinesis (<c>PutRecord</c>, <c>PutRecords</c>: every record's
/// base64 <c>Data</c>), as their JSON-protocol marshallers write them. The carrier goes in as <c>_datadog</c> when the
/// payload is a JSON object without one; a rewrite that would pass the service's size limit (an entry's or record's, and
/// a batch's) is dropped.
/// </summary>
internal static class JsonServiceInjection
{
    /// <summary>EventBridge's request limit (the sum of its entries) and Kinesis' record limit (data and partition key), 1 MiB.</summary>
    internal const int MaxBytes = 1024 * 1024;

    /// <summary>Kinesis' <c>PutRecords</c> limit: the data and partition keys of all records, 5 MiB.</summary>
    internal const int MaxKinesisBatchBytes = 5 * 1024 * 1024;

    /// <summary>
    /// Step Functions' execution input limit, 262,144 bytes of UTF-8 (256 KiB), as the Step Functions API reference gives
    /// it for an execution's input (<c>ExecutionStartedEventDetails.input</c>). No raise in 2026 like SQS's could be
    /// confirmed; should one come, this only skips injection into inputs between the old and new limits.
    /// </summary>
    internal const int MaxStepFunctionsInputBytes = 256 * 1024;

    /// <summary>
    /// A partition key is at most 256 characters; counted as 4 UTF-8 bytes each, more than it can take, because the
    /// rewrite of <c>Data</c> does not see the key.
    /// </summary>
    private const int MaxPartitionKeyBytes = 256 * 4;

    public static byte[]? EventBridgePutEvents(byte[] body, byte[] carrier)
    {
        var missing = Missing("Detail"u8, carrier);
        return JsonBodyMembers.Rewrite(body, "Entries"u8, "Detail"u8, (ReadOnlySpan<byte> value, out string? skipped) =>
            DatadogMember.AddTo(value, carrier, out skipped) is { } detail ? DatadogMember.Quote(detail) : null, missing, "EventBridge entry", MaxBytes);
    }

    public static byte[]? StepFunctionsStart(byte[] body, byte[] carrier) =>
        JsonBodyMembers.Rewrite(body, default, "input"u8, (ReadOnlySpan<byte> value, out string? skipped) => StepFunctionsInput(value, carrier, out skipped), null, "Step Functions input");

    public static byte[]? KinesisPut(byte[] body, byte[] carrier, bool batch) =>
        JsonBodyMembers.Rewrite(body, batch ? "Records"u8 : default, "Data"u8, (ReadOnlySpan<byte> value, out string? skipped) => KinesisData(value, carrier, out skipped), null, "Kinesis record", batch ? MaxKinesisBatchBytes : int.MaxValue);

    /// <summary>The input's unescaped UTF-8 bytes are what Step Functions counts.</summary>
    private static byte[]? StepFunctionsInput(ReadOnlySpan<byte> input, byte[] carrier, out string? skipped)
    {
        if (DatadogMember.AddTo(input, carrier, out skipped) is not { } json)
        {
            return null;
        }

        if (json.Length > MaxStepFunctionsInputBytes)
        {
            skipped = "the input would exceed the Step Functions limit of 262,144 bytes";
            return null;
        }

        return DatadogMember.Quote(json);
    }

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

        if (json.Length + MaxPartitionKeyBytes > MaxBytes)
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
}
