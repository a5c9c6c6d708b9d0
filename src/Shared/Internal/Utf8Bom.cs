// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// One leading UTF-8 byte-order mark (<c>EF BB BF</c>). <c>JsonSerializer.Deserialize(Stream)</c> and
/// <c>JsonDocument.Parse(Stream)</c> skip it, while <c>Utf8JsonReader</c> and every parse of bytes reject it: whatever the
/// traced path parses from bytes skips it too, so that an event with a mark behaves as it does untraced. Only one is
/// skipped, as the stream readers do (a second is invalid JSON there as well).
/// </summary>
internal static class Utf8Bom
{
    public static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    public static ReadOnlyMemory<byte> Skip(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
}
