// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Header source over an OpenTelemetry carrier and getter. Arrays and lists (including ASP.NET's
/// <c>StringValues</c>) are indexed, so reading them allocates no enumerator.
/// </summary>
internal readonly struct GetterHeaderSource<T> : ITraceHeaderSource
{
    private readonly T carrier;
    private readonly Func<T, string, IEnumerable<string>?> getter;

    public GetterHeaderSource(T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        this.carrier = carrier;
        this.getter = getter;
    }

    public int Get(string name, out ReadOnlySpan<char> first)
    {
        var values = getter(carrier, name);
        switch (values)
        {
            case null:
                first = default;
                return 0;
            case IList<string> list:
                first = list.Count == 0 ? default : list[0].AsSpan();
                return Math.Min(list.Count, 2);
            case IReadOnlyList<string> readOnlyList:
                first = readOnlyList.Count == 0 ? default : readOnlyList[0].AsSpan();
                return Math.Min(readOnlyList.Count, 2);
            default:
                using (var enumerator = values.GetEnumerator())
                {
                    if (!enumerator.MoveNext())
                    {
                        first = default;
                        return 0;
                    }

                    first = enumerator.Current.AsSpan();
                    return enumerator.MoveNext() ? 2 : 1;
                }
        }
    }

    public string GetJoined(string name, int maxLength)
    {
        var values = getter(carrier, name);
        if (values is null)
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder();
        foreach (var value in values)
        {
            var length = value?.Length ?? 0;
            if (builder.Length + length + 1 > maxLength)
            {
                break;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(value);
        }

        return builder.ToString();
    }
}
