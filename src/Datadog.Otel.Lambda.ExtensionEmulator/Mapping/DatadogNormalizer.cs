// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// Datadog's span normalisation as libdatadog (<c>libdd-trace-normalization</c>) applies it in the
/// extension: tag values, service names, operation names, start/duration and HTTP status codes.
/// </summary>
internal static class DatadogNormalizer
{
    public const string DefaultServiceName = "unnamed-service";
    public const string DefaultSpanName = "unnamed_operation";
    public const int MaxServiceLength = 100;
    public const int MaxNameLength = 100;
    public const int MaxTypeLength = 100;
    public const int MaxTagLength = 200;

    // Start times before 2000-01-01 are taken as a unit error and replaced by "now - duration".
    private const long Year2000UnixNano = 946_684_800_000_000_000;

    /// <summary>
    /// Normalises a tag value: lower-case, only letters, digits and <c>: . / - _</c>, no leading digits or
    /// punctuation, runs of other characters collapsed into one <c>_</c>, no trailing <c>_</c>, at most 200
    /// characters. Example: <c>"Test Conversion Of Weird !@#$%^&amp;**() Characters"</c> →
    /// <c>"test_conversion_of_weird_characters"</c>.
    /// </summary>
    /// <remarks>
    /// libdatadog classifies non-ASCII characters with Rust's <c>char::is_lowercase</c>/<c>is_alphabetic</c>/<c>is_numeric</c>;
    /// .NET's Unicode categories are used here, which agree for letters and digits in practice.
    /// </remarks>
    public static string NormalizeTag(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var writtenBytes = 0;
        var codePoints = 0;
        var inIllegalRun = true;

        void Write(Rune rune, bool illegal)
        {
            builder.Append(rune.ToString());
            writtenBytes += rune.Utf8SequenceLength;
            codePoints++;
            inIllegalRun = illegal;
        }

        foreach (var original in value.EnumerateRunes())
        {
            if (writtenBytes >= 2 * MaxTagLength || codePoints >= MaxTagLength)
            {
                break;
            }

            var rune = original;
            var v = rune.Value;
            if (v is >= 'a' and <= 'z' or ':')
            {
                Write(rune, illegal: false);
            }
            else if (v is >= 'A' and <= 'Z')
            {
                Write(new Rune(v - 'A' + 'a'), illegal: false);
            }
            else if (v is >= '0' and <= '9' or '.' or '/' or '-')
            {
                // Digits and these marks are allowed, but never as the first character.
                if (writtenBytes != 0)
                {
                    Write(rune, illegal: false);
                }
            }
            else if (v == '_' && !inIllegalRun)
            {
                if (writtenBytes != 0)
                {
                    Write(rune, illegal: true);
                }
            }
            else if (v <= 0x7F)
            {
                if (!inIllegalRun)
                {
                    Write(new Rune('_'), illegal: true);
                }
            }
            else if (Rune.IsLower(rune))
            {
                Write(rune, illegal: false);
            }
            else
            {
                if (Rune.IsUpper(rune))
                {
                    // Only lower-case when the lower-case form is not longer in UTF-8 (libdatadog works in place).
                    var lower = Rune.ToLowerInvariant(rune);
                    if (lower.Utf8SequenceLength <= rune.Utf8SequenceLength)
                    {
                        rune = lower;
                    }
                }

                if (Rune.IsLetter(rune))
                {
                    Write(rune, illegal: false);
                }
                else if (Rune.IsNumber(rune))
                {
                    if (writtenBytes != 0)
                    {
                        Write(rune, illegal: false);
                    }
                }
                else if (!inIllegalRun)
                {
                    Write(new Rune('_'), illegal: true);
                }
            }
        }

        // An illegal run at the end left one '_' behind: drop it.
        if (inIllegalRun && builder.Length > 0)
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>Normalises a service name: at most 100 bytes, <see cref="NormalizeTag"/>, <c>unnamed-service</c> when empty.</summary>
    public static string NormalizeService(string service)
    {
        var normalized = NormalizeTag(TruncateUtf8(service, MaxServiceLength));
        return normalized.Length == 0 ? DefaultServiceName : normalized;
    }

    /// <summary>
    /// Normalises an operation name as libdatadog's <c>normalize_name</c> does: at most 100 bytes, start at the
    /// first ASCII letter, keep ASCII letters and digits, turn other bytes into <c>_</c>, <c>_.</c> into <c>.</c>,
    /// drop a trailing <c>_</c>; <c>unnamed_operation</c> when nothing is left.
    /// </summary>
    /// <remarks>
    /// Emulates a quirk of libdatadog's in-place implementation: when a character is skipped because the
    /// previous output was already <c>_</c> or <c>.</c>, the write position still advances and the byte that
    /// was there in the input stays. So <c>"a--b"</c> becomes <c>"a_-b"</c> (Datadog's Go agent gives
    /// <c>"a_b"</c>). Names made only of letters, digits, single separators and dots are unaffected.
    /// </remarks>
    public static string NormalizeName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(TruncateUtf8(name, MaxNameLength));
        var read = Array.FindIndex(bytes, IsAsciiLetter);
        if (read < 0)
        {
            return DefaultSpanName;
        }

        var write = 0;
        byte last = 0;
        for (; read < bytes.Length; read++, write++)
        {
            var b = bytes[read];
            if (IsAsciiLetter(b) || b is >= (byte)'0' and <= (byte)'9')
            {
                bytes[write] = b;
                last = b;
            }
            else if (b == '.' && last == '_')
            {
                write--;
                bytes[write] = (byte)'.';
                last = (byte)'.';
            }
            else if (last is (byte)'_' or (byte)'.')
            {
                // Skipped, but 'write' still advances below: the quirk described above.
            }
            else if (b is (byte)'_' or (byte)'.')
            {
                bytes[write] = b;
                last = b;
            }
            else
            {
                bytes[write] = (byte)'_';
                last = (byte)'_';
            }
        }

        if (last == '_')
        {
            write--;
        }

        var result = Encoding.UTF8.GetString(bytes, 0, write);
        return result.Length == 0 ? DefaultSpanName : result;
    }

    /// <summary>Cuts a string to at most <paramref name="maxBytes"/> UTF-8 bytes without splitting a character.</summary>
    public static string TruncateUtf8(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            builder.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }

        return builder.ToString();
    }

    /// <summary>
    /// A negative duration, or one that overflows when added to the start, becomes 0; a start before
    /// the year 2000 becomes <c>now - duration</c> (or now).
    /// </summary>
    public static (long Start, long Duration) NormalizeStartAndDuration(long start, long duration, long nowUnixNano)
    {
        if (duration < 0)
        {
            duration = 0;
        }

        if (start > 0 && duration > long.MaxValue - start)
        {
            duration = 0;
        }

        if (start < Year2000UnixNano)
        {
            start = nowUnixNano - duration;
            if (start < 0)
            {
                start = nowUnixNano;
            }
        }

        return (start, duration);
    }

    /// <summary>A status code meta value is kept only when it is an integer in [100, 600).</summary>
    public static bool IsValidHttpStatusCode(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var code)
        && code is >= 100 and < 600;

    private static bool IsAsciiLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';
}
