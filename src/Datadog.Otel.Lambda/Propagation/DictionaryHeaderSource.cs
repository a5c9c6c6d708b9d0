// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Header source over a name → value map (event headers, a <c>_datadog</c> carrier); one value per name.
/// Lookups use the dictionary's own comparer, so pass a case-insensitive one for HTTP headers.
/// </summary>
internal readonly struct DictionaryHeaderSource : ITraceHeaderSource
{
    private readonly IReadOnlyDictionary<string, string> headers;

    public DictionaryHeaderSource(IReadOnlyDictionary<string, string> headers)
    {
        this.headers = headers;
    }

    public int Get(string name, out ReadOnlySpan<char> first)
    {
        if (headers.TryGetValue(name, out var value))
        {
            first = value.AsSpan();
            return 1;
        }

        first = default;
        return 0;
    }

    public string GetJoined(string name, int maxLength) =>
        headers.TryGetValue(name, out var value) && value is not null && value.Length <= maxLength ? value : string.Empty;
}
