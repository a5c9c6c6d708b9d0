// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Reads event timestamps in the forms AWS uses (epoch milliseconds, epoch seconds with fractions, ISO 8601) and
/// rejects absurd ones. An inferred span only starts at an event time within <see cref="MaxAge"/> before the invocation
/// (the longest an AWS source keeps an event for a function: a Kinesis stream's retention and a standard Step Functions
/// execution, both up to 365 days) and not after it; any other value (missing, negative, non-numeric, in the future,
/// older) makes the span start with the invocation instead, so a span never has a nonsense start or a negative duration.
/// Python has no bound (accepted difference event-time-bound).
/// </summary>
internal static class EventTime
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(366);

    // The last representable instant (end of year 9999): a larger epoch value would overflow DateTimeOffset.
    private const double MaxEpochMilliseconds = 253_402_300_799_000;

    public static DateTimeOffset? FromEpochMilliseconds(in EventView view, int field) =>
        view.TryGetDouble(field, out var ms) && double.IsFinite(ms) && ms > 0 && ms < MaxEpochMilliseconds ? DateTimeOffset.UnixEpoch.AddTicks((long)(ms * TimeSpan.TicksPerMillisecond)) : null;

    public static DateTimeOffset? FromEpochSeconds(in EventView view, int field) =>
        view.TryGetDouble(field, out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds < MaxEpochMilliseconds / 1000 ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)) : null;

    /// <summary>Epoch seconds cut to the whole second, as Python reads DynamoDB's <c>ApproximateCreationDateTime</c> (<c>int(…)</c>).</summary>
    public static DateTimeOffset? FromWholeEpochSeconds(in EventView view, int field) =>
        FromEpochSeconds(view, field) is { } time ? DateTimeOffset.UnixEpoch.AddTicks((time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond) : null;

    public static DateTimeOffset? FromIso(in EventView view, int field) => FromIso(view.String(field));

    public static DateTimeOffset? FromIso(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;

    public static DateTimeOffset? FromNanosecondsText(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ns) && ns > 0 ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null;

    /// <summary>The event time if it is plausible for an invocation starting at <paramref name="invocationStart"/>, else that start.</summary>
    public static DateTimeOffset Clamp(DateTimeOffset? eventTime, DateTimeOffset invocationStart)
    {
        if (eventTime is not { } time || time > invocationStart || invocationStart - time > MaxAge)
        {
            return invocationStart;
        }

        return time;
    }
}
