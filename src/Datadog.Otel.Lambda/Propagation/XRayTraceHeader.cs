// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>The <c>Sampled</c> field of an X-Ray trace header.</summary>
internal enum XRaySampled
{
    /// <summary>Missing or not understood.</summary>
    Unknown = 0,

    /// <summary><c>Sampled=0</c>.</summary>
    NotSampled = 1,

    /// <summary><c>Sampled=1</c>.</summary>
    Sampled = 2,

    /// <summary><c>Sampled=?</c>: the downstream service is asked to decide.</summary>
    Requested = 3,
}

/// <summary>
/// A parsed X-Ray trace header (<c>X-Amzn-Trace-Id</c>, <c>_X_AMZN_TRACE_ID</c>, SQS <c>AWSTraceHeader</c>):
/// <c>Root=1-{8 hex epoch}-{24 hex};Parent={16 hex};Sampled={0|1|?}</c>, fields in any order, other fields (such as
/// <c>Lineage</c>) tolerated. Parsing allocates nothing: values are numbers, plus the ranges of the raw texts in the
/// input for callers that need them (the X-Ray metadata subsegment repeats the Root and Parent texts).
/// <para>
/// Two id mappings exist and both are here. OpenTelemetry's: the 128-bit trace id is the 8 epoch digits followed by
/// the 24 others (<see cref="TraceId"/>), so a Datadog trace written into X-Ray as
/// <c>Root=1-{epoch}-00000000{16 hex Datadog id}</c> keeps its Datadog id in the lower 64 bits. Datadog's Lambda
/// libraries': trace id = lower <b>63</b> bits of the last 16 hex digits (<see cref="DatadogTraceId"/>), span id =
/// Parent, priority from Sampled (<see cref="DatadogSamplingPriority"/>); and, when the 8 digits after the epoch are
/// <c>00000000</c>, the header carries a Datadog context whose trace id is the full last 16 digits
/// (<see cref="IsDatadogContext"/>, <see cref="DatadogContextTraceId"/>).
/// </para>
/// </summary>
internal readonly struct XRayTraceHeader
{
    public const string HeaderName = "X-Amzn-Trace-Id";

    private const ulong Lower63BitsMask = 0x7FFF_FFFF_FFFF_FFFF;

    /// <summary>Gets the 8-hex Unix-seconds part of the Root.</summary>
    public uint RootEpoch { get; init; }

    /// <summary>Gets the first 8 of the 24 random hex digits (0 when a Datadog tracer wrote the header).</summary>
    public uint RootMiddle { get; init; }

    /// <summary>Gets the last 16 hex digits of the Root.</summary>
    public ulong RootLow { get; init; }

    public bool HasParent { get; init; }

    public ulong ParentId { get; init; }

    public XRaySampled Sampled { get; init; }

    /// <summary>Gets where the Root value (<c>1-…-…</c>) is in the parsed text.</summary>
    public Range RootRange { get; init; }

    /// <summary>Gets where the Parent value is in the parsed text (default when there is none).</summary>
    public Range ParentRange { get; init; }

    /// <summary>Gets the OpenTelemetry trace id: epoch and the 24 digits as one 128-bit id.</summary>
    public ActivityTraceId TraceId => DatadogIds.TraceId(((ulong)RootEpoch << 32) | RootMiddle, RootLow);

    public ActivitySpanId ParentSpanId => DatadogIds.SpanId(HasParent ? ParentId : 0);

    /// <summary>Gets Datadog's conversion: the lower 63 bits of the last 16 hex digits.</summary>
    public ulong DatadogTraceId => RootLow & Lower63BitsMask;

    /// <summary>Gets a value indicating whether the Root has the <c>00000000</c> marker of a Datadog trace written into X-Ray.</summary>
    public bool IsDatadogContext => RootMiddle == 0;

    /// <summary>Gets the Datadog trace id of a Datadog context carried in X-Ray: the whole last 16 hex digits.</summary>
    public ulong DatadogContextTraceId => RootLow;

    /// <summary>Gets the priority Datadog's Lambda libraries give an X-Ray context: <c>Sampled=1</c> → 2 (USER_KEEP), otherwise −1 (USER_REJECT).</summary>
    public int DatadogSamplingPriority => Sampled == XRaySampled.Sampled ? 2 : -1;

    /// <summary>Gets the priority of a Datadog context carried in X-Ray: the Sampled flag as 1 or 0.</summary>
    public int DatadogContextSamplingPriority => Sampled == XRaySampled.Sampled ? 1 : 0;

    /// <summary>Parses a header; needs a valid Root. An invalid Parent counts as absent; Sampled other than 0/1/? is unknown.</summary>
    public static bool TryParse(ReadOnlySpan<char> header, out XRayTraceHeader result)
    {
        result = default;
        var hasRoot = false;
        var hasParent = false;
        var hasSampled = false;
        uint epoch = 0;
        uint middle = 0;
        ulong low = 0;
        ulong parent = 0;
        var sampled = XRaySampled.Unknown;
        Range rootRange = default;
        Range parentRange = default;

        var offset = 0;
        while (offset <= header.Length)
        {
            var remaining = header[offset..];
            var semicolon = remaining.IndexOf(';');
            var fieldLength = semicolon < 0 ? remaining.Length : semicolon;
            var field = remaining[..fieldLength];
            var equals = field.IndexOf('=');
            if (equals > 0)
            {
                var key = field[..equals].Trim(" \t");
                var valueStart = equals + 1;
                var rawValue = field[valueStart..];
                var value = rawValue.TrimStart(" \t");
                var valueOffset = offset + valueStart + (rawValue.Length - value.Length);
                value = value.TrimEnd(" \t");
                if (!hasRoot && key.Equals("Root", StringComparison.OrdinalIgnoreCase))
                {
                    if (!TryParseRoot(value, out epoch, out middle, out low))
                    {
                        return false;
                    }

                    hasRoot = true;
                    rootRange = new Range(valueOffset, valueOffset + value.Length);
                }
                else if (!hasParent && key.Equals("Parent", StringComparison.OrdinalIgnoreCase))
                {
                    hasParent = true;
                    if (value.Length == 16 && DatadogIds.TryParseHex(value, out parent) && parent != 0)
                    {
                        parentRange = new Range(valueOffset, valueOffset + value.Length);
                    }
                    else
                    {
                        parent = 0;
                    }
                }
                else if (!hasSampled && key.Equals("Sampled", StringComparison.OrdinalIgnoreCase))
                {
                    hasSampled = true;
                    sampled = value.Length != 1 ? XRaySampled.Unknown : value[0] switch
                    {
                        '1' => XRaySampled.Sampled,
                        '0' => XRaySampled.NotSampled,
                        '?' => XRaySampled.Requested,
                        _ => XRaySampled.Unknown,
                    };
                }
            }

            if (semicolon < 0)
            {
                break;
            }

            offset += fieldLength + 1;
        }

        if (!hasRoot)
        {
            return false;
        }

        result = new XRayTraceHeader
        {
            RootEpoch = epoch,
            RootMiddle = middle,
            RootLow = low,
            HasParent = parent != 0,
            ParentId = parent,
            Sampled = sampled,
            RootRange = rootRange,
            ParentRange = parentRange,
        };
        return true;
    }

    /// <summary>Finds any <c>key=value</c> field (e.g. <c>Lineage</c>) and returns where its value is.</summary>
    public static bool TryGetField(ReadOnlySpan<char> header, scoped ReadOnlySpan<char> key, out Range value)
    {
        var offset = 0;
        while (offset <= header.Length)
        {
            var remaining = header[offset..];
            var semicolon = remaining.IndexOf(';');
            var field = semicolon < 0 ? remaining : remaining[..semicolon];
            var equals = field.IndexOf('=');
            if (equals > 0 && field[..equals].Trim(" \t").Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                var raw = field[(equals + 1)..];
                var trimmed = raw.Trim(" \t");
                var start = offset + equals + 1 + (raw.Length - raw.TrimStart(" \t").Length);
                value = new Range(start, start + trimmed.Length);
                return true;
            }

            if (semicolon < 0)
            {
                break;
            }

            offset += semicolon + 1;
        }

        value = default;
        return false;
    }

    /// <summary>OpenTelemetry's form: <c>Root=1-{first 8 hex}-{last 24 hex};Parent={span};Sampled={0|1}</c>.</summary>
    public static string Format(ActivityTraceId traceId, ActivitySpanId parent, bool sampled)
    {
        var upper = DatadogIds.Upper64(traceId);
        return Format((uint)(upper >> 32), (uint)upper, DatadogIds.Lower64(traceId), DatadogIds.ToUInt64(parent), sampled);
    }

    /// <summary>The form Datadog tracers write: <c>Root=1-{epoch}-00000000{16 hex Datadog trace id};Parent={16 hex};Sampled={0|1}</c>.</summary>
    public static string FormatDatadogContext(uint epochSeconds, ulong datadogTraceId, ulong spanId, bool sampled) =>
        Format(epochSeconds, 0, datadogTraceId, spanId, sampled);

    /// <summary>The Root value <c>1-{8 hex}-{24 hex}</c> of this header, lowercase.</summary>
    public string FormatRoot() => string.Create(35, (RootEpoch, RootMiddle, RootLow), static (chars, state) =>
    {
        WriteRoot(chars, state.RootEpoch, state.RootMiddle, state.RootLow);
    });

    private static string Format(uint epoch, uint middle, ulong low, ulong parent, bool sampled) =>
        string.Create(74, (epoch, middle, low, parent, sampled), static (chars, state) =>
        {
            "Root=".AsSpan().CopyTo(chars);
            WriteRoot(chars[5..40], state.epoch, state.middle, state.low);
            ";Parent=".AsSpan().CopyTo(chars[40..]);
            DatadogIds.WriteHex16(state.parent, chars[48..64]);
            ";Sampled=".AsSpan().CopyTo(chars[64..]);
            chars[73] = state.sampled ? '1' : '0';
        });

    private static void WriteRoot(Span<char> chars, uint epoch, uint middle, ulong low)
    {
        Span<char> hex = stackalloc char[16];
        chars[0] = '1';
        chars[1] = '-';
        DatadogIds.WriteHex16(epoch, hex);
        hex[8..].CopyTo(chars[2..10]);
        chars[10] = '-';
        DatadogIds.WriteHex16(middle, hex);
        hex[8..].CopyTo(chars[11..19]);
        DatadogIds.WriteHex16(low, chars[19..35]);
    }

    private static bool TryParseRoot(ReadOnlySpan<char> root, out uint epoch, out uint middle, out ulong low)
    {
        epoch = 0;
        middle = 0;
        low = 0;
        if (root.Length != 35 || root[0] != '1' || root[1] != '-' || root[10] != '-'
            || !DatadogIds.TryParseHex(root[2..10], out var e)
            || !DatadogIds.TryParseHex(root[11..19], out var m)
            || !DatadogIds.TryParseHex(root[19..35], out low))
        {
            low = 0;
            return false;
        }

        epoch = (uint)e;
        middle = (uint)m;
        return true;
    }
}
