// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Server;

/// <summary>
/// The bodies the extension answers OTLP/HTTP requests with (v92+): encoded like the request, protobuf
/// (<c>application/x-protobuf</c>) or JSON (<c>application/json</c>).
/// </summary>
internal static class OtlpResponses
{
    public const string ProtobufContentType = "application/x-protobuf";
    public const string JsonContentType = "application/json";

    public static string ContentType(OtlpEncoding encoding) => encoding == OtlpEncoding.Json ? JsonContentType : ProtobufContentType;

    /// <summary>An empty <c>ExportTraceServiceResponse</c>: zero bytes in protobuf, <c>{}</c> in JSON.</summary>
    public static byte[] Success(OtlpEncoding encoding) => encoding == OtlpEncoding.Json ? "{}"u8.ToArray() : [];

    /// <summary>
    /// A <c>google.rpc.Status</c> whose <c>code</c> is the HTTP status number (400 or 500, as the extension writes
    /// it, not a gRPC code) and whose <c>message</c> says what failed.
    /// </summary>
    public static byte[] Error(OtlpEncoding encoding, int httpStatus, string message) =>
        encoding == OtlpEncoding.Json ? JsonStatus(httpStatus, message) : ProtobufStatus(httpStatus, message);

    private static byte[] JsonStatus(int code, string message)
    {
        var json = new StringBuilder("{\"code\":").Append(code.ToString(CultureInfo.InvariantCulture)).Append(",\"message\":");
        RustTextFormat.AppendJsonString(json, message);
        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    private static byte[] ProtobufStatus(int code, string message)
    {
        var output = new List<byte>();
        if (code != 0)
        {
            output.Add(0x08); // field 1 (code), varint
            WriteVarint(output, unchecked((ulong)(long)code));
        }

        var text = Encoding.UTF8.GetBytes(message);
        if (text.Length != 0)
        {
            output.Add(0x12); // field 2 (message), length-delimited
            WriteVarint(output, (ulong)text.Length);
            output.AddRange(text);
        }

        return output.ToArray();
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }
}
