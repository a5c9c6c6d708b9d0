// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Propagation;
using OpenTelemetry.Context.Propagation;
#if NET9_0_OR_GREATER
using System.Runtime.InteropServices;
#endif

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// Trace headers read straight from a JSON object in the event (<c>headers</c>, <c>multiValueHeaders</c>, a decoded
/// <c>_datadog</c> map): names match case-insensitively, as HTTP header names do; a value is a string, or an array of
/// strings for multi-value headers. Nothing is copied up front: only the values of the headers asked for are read.
/// </summary>
internal readonly struct JsonHeaderSource : ITraceHeaderSource
{
    private static readonly Func<JsonElement, string, IEnumerable<string>?> Getter = static (headers, name) =>
    {
        var source = new JsonHeaderSource(headers);
        return source.Get(name, out var first) > 0 ? [first.ToString()] : null;
    };

    private readonly JsonElement headers;

    public JsonHeaderSource(JsonElement headers)
    {
        this.headers = headers;
    }

    public int Get(string name, out ReadOnlySpan<char> first)
    {
        first = default;
        if (this.headers.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var count = 0;
        foreach (var property in this.headers.EnumerateObject())
        {
            if (!NameEqualsIgnoreCase(property, name))
            {
                continue;
            }

            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    if (count == 0)
                    {
                        first = value.GetString().AsSpan();
                    }

                    count++;
                    break;
                case JsonValueKind.Number:
                    // Some producers write the sampling priority as a JSON number.
                    if (count == 0)
                    {
                        first = value.GetRawText().AsSpan();
                    }

                    count++;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }

                        if (count == 0)
                        {
                            first = item.GetString().AsSpan();
                        }

                        count++;
                    }

                    break;
            }
        }

        return Math.Min(count, 2);
    }

    public string GetJoined(string name, int maxLength)
    {
        if (this.headers.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        StringBuilder? joined = null;
        foreach (var property in this.headers.EnumerateObject())
        {
            if (!NameEqualsIgnoreCase(property, name))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.String)
            {
                Append(ref joined, property.Value.GetString()!, maxLength);
            }
            else if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        Append(ref joined, item.GetString()!, maxLength);
                    }
                }
            }
        }

        return joined?.ToString() ?? string.Empty;
    }

    public PropagationContext ExtractWith(TextMapPropagator propagator, PropagationContext context) =>
        propagator.Extract(context, this.headers, Getter);

    /// <summary>Compares a property name with an ASCII header name, ignoring case, without allocating where the runtime allows.</summary>
    internal static bool NameEqualsIgnoreCase(JsonProperty property, string name)
    {
#if NET9_0_OR_GREATER
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return raw.Length == name.Length && Ascii.EqualsIgnoreCase(raw, name);
        }
#endif
        return string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase);
    }

    private static void Append(ref StringBuilder? joined, string value, int maxLength)
    {
        joined ??= new StringBuilder(value.Length);
        var extra = joined.Length == 0 ? value.Length : value.Length + 1;
        if (joined.Length + extra > maxLength)
        {
            return;
        }

        if (joined.Length > 0)
        {
            joined.Append(',');
        }

        joined.Append(value);
    }
}
