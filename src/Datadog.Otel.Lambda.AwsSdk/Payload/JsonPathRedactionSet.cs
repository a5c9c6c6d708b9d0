// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// The redaction paths that apply to one payload (a service's defaults plus the user's), matched together as the
/// walk descends: each level carries one state word per path, computed from its parent's.
/// </summary>
internal sealed class JsonPathRedactionSet
{
    /// <summary>
    /// Paths per set. The walk keeps one word per path on the stack at every level, so the bound keeps a walk at
    /// the maximum depth within a few kilobytes of stack.
    /// </summary>
    public const int MaxPatterns = 64;

    public static readonly JsonPathRedactionSet Empty = new([]);

    private readonly JsonPathPattern[] patterns;

    public JsonPathRedactionSet(IReadOnlyList<JsonPathPattern> patterns)
    {
        // "$" alone selects nothing (see JsonPathPattern); leave it out so it costs nothing per key.
        var kept = new List<JsonPathPattern>(patterns.Count);
        foreach (var pattern in patterns)
        {
            if (pattern.StepCount > 0 && kept.Count < MaxPatterns)
            {
                kept.Add(pattern);
            }
        }

        this.patterns = [.. kept];
    }

    public int Count => patterns.Length;

    public IReadOnlyList<JsonPathPattern> Patterns => patterns;

    public void Start(Span<ulong> states) => states[..patterns.Length].Fill(JsonPathPattern.Start);

    /// <summary>
    /// Computes the states for a child key into <paramref name="next"/>; returns whether any path selects that key.
    /// <paramref name="live"/> tells whether any path can still match below it (if not, the walk stops matching).
    /// </summary>
    public bool Advance(ReadOnlySpan<ulong> states, string? memberName, int elementIndex, Span<ulong> next, out bool live)
    {
        live = false;
        for (var i = 0; i < patterns.Length; i++)
        {
            var pattern = patterns[i];
            var state = states[i] == 0 ? 0 : pattern.Advance(states[i], memberName, elementIndex);
            if (pattern.IsMatch(state))
            {
                return true;
            }

            next[i] = state;
            live |= state != 0;
        }

        return false;
    }
}
