// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Diagnostics;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// New trace ids in Datadog's 128-bit layout, for <see cref="Activity.TraceIdGenerator"/>: the upper 64 bits are the
/// 32-bit Unix time in seconds followed by 32 zero bits, the lower 64 bits random and never 0. Datadog samples on the
/// lower 64 bits (<c>KnuthSampling</c>) and derives <c>_dd.p.tid</c> from the upper ones, so both halves must have
/// exactly this shape. With 128-bit generation off (<c>DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED=false</c>) the upper
/// bits are 0.
/// <para>
/// Randomness and SnapStart: a SnapStart function is initialised once and its memory snapshot is restored into many
/// sandboxes, so any generator whose state lives in process memory would hand the same "random" ids to every
/// restored sandbox. That rules out <see cref="Random"/>, a seeded xorshift, a buffer of pre-drawn bytes, and also
/// <c>System.Security.Cryptography.RandomNumberGenerator</c> on Linux: it is OpenSSL's DRBG, seeded once in the process (strace shows one
/// 48-byte <c>getrandom</c> and then no system call however often it is used). <see cref="Guid.NewGuid"/>, in
/// contrast, reads 16 bytes from the kernel (<c>/dev/urandom</c>) on every call and keeps nothing in the process;
/// the kernel's generator is reseeded when a snapshot is restored. So each trace id costs one small read system
/// call — per trace, not per span — and nothing is cached or pre-drawn on purpose. The 64 random bits are taken
/// from the parts of the GUID that carry no version or variant bits.
/// </para>
/// </summary>
internal static class DatadogTraceIdGenerator
{
    /// <summary>Returns the generator to install, following <c>DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED</c> (default true).</summary>
    public static Func<ActivityTraceId> FromEnvironment(IEnvironmentSource environment) =>
        SettingParsers.Bool(environment, EnvironmentVariables.DdTrace128BitGeneration, true) ? New128BitTraceId : New64BitTraceId;

    public static ActivityTraceId New128BitTraceId() =>
        Create(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), NextRandomLower64());

    public static ActivityTraceId New64BitTraceId() => DatadogIds.TraceId(0, NextRandomLower64());

    /// <summary>The 128-bit layout for a given time and random part (exposed for tests).</summary>
    public static ActivityTraceId Create(long unixSeconds, ulong lower) =>
        DatadogIds.TraceId((ulong)(uint)unixSeconds << 32, lower);

    private static ulong NextRandomLower64()
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong value;
        do
        {
            // Guid layout (little-endian write): the version is in byte 7, the variant in byte 8; bytes 0–5 and 9–15
            // are random. Take bytes 0–3 and 10–13.
            Guid.NewGuid().TryWriteBytes(bytes);
            value = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(bytes[10..]);
        }
        while (value == 0);

        return value;
    }
}
