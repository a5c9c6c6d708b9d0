// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Where extraction reads header values. Implemented by structs so the extract path is generic and allocation-free
/// (a carrier whose values are not strings — e.g. JSON read as UTF-8 — can decode into its own buffer).
/// </summary>
internal interface ITraceHeaderSource
{
    /// <summary>Looks up <paramref name="name"/> (lowercase, except <c>X-Amzn-Trace-Id</c>).</summary>
    /// <returns>0 when the header is absent, 1 for one value, 2 for several; <paramref name="first"/> is the first value.</returns>
    int Get(string name, out ReadOnlySpan<char> first);

    /// <summary>All values of <paramref name="name"/> joined with <c>,</c> (the tracestate rule), at most <paramref name="maxLength"/> characters of whole values.</summary>
    string GetJoined(string name, int maxLength);
}
