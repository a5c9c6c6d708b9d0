// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The spans one invocation's handler has started and not yet ended, in start order, so that an impending timeout can
/// end and export them (dd-trace-py's crash flush finishes the active span and its ancestors; dd-trace-js finishes every
/// unfinished span). Made for an invocation the first time its handler starts a span. Spans leave it when they end on the
/// invocation's flow; one ended elsewhere is dropped when the list is full. Bounded: at most <see cref="Capacity"/> spans
/// open at once are tracked, later ones are not (they are lost if the invocation times out, as before). Thread-safe: the
/// handler's parallel work starts and ends spans at once, and the impending-timeout watch takes them from its own thread.
/// </summary>
internal sealed class OpenSpans
{
    /// <summary>The most spans tracked open at once.</summary>
    public const int Capacity = 1024;

    private static int warnedFull;

    public OpenSpans()
        : this(closed: false)
    {
    }

    private OpenSpans(bool closed)
    {
        this.closed = closed;
    }

    /// <summary>Gets the list of an invocation that timed out: it tracks nothing.</summary>
    public static OpenSpans Closed { get; } = new(closed: true);

    private readonly object sync = new();
    private Activity?[] spans = new Activity?[8];
    private int count;
    private bool closed;

    /// <summary>Gets the number of spans tracked (tests).</summary>
    public int Count
    {
        get
        {
            lock (this.sync)
            {
                return this.count;
            }
        }
    }

    /// <summary>Tracks <paramref name="span"/>, which has just started.</summary>
    public void Started(Activity span)
    {
        lock (this.sync)
        {
            if (this.closed)
            {
                return;
            }

            if (this.count == this.spans.Length && !this.MakeRoom())
            {
                if (Interlocked.Exchange(ref warnedFull, 1) == 0)
                {
                    Diag.Warn("timeout", "a handler has more than " + Capacity + " spans open at once; the ones beyond are not ended if the invocation times out");
                }

                return;
            }

            this.spans[this.count++] = span;
        }
    }

    /// <summary>Stops tracking <paramref name="span"/>, which has ended.</summary>
    public void Ended(Activity span)
    {
        lock (this.sync)
        {
            // Spans mostly end in the reverse order they started: the search from the end stops at once.
            for (var i = this.count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(this.spans[i], span))
                {
                    this.count--;
                    Array.Copy(this.spans, i + 1, this.spans, i, this.count - i);
                    this.spans[this.count] = null;
                    return;
                }
            }
        }
    }

    /// <summary>Stops tracking for good and returns the spans still open, in start order (empty when none).</summary>
    public Activity[] Close()
    {
        lock (this.sync)
        {
            this.closed = true;
            var open = new Activity[this.count];
            var kept = 0;
            for (var i = 0; i < this.count; i++)
            {
                if (this.spans[i] is { IsStopped: false } span)
                {
                    open[kept++] = span;
                }
            }

            Array.Clear(this.spans);
            this.count = 0;
            Array.Resize(ref open, kept);
            return open;
        }
    }

    /// <summary>Drops the spans that ended off the invocation's flow and grows the list up to <see cref="Capacity"/> (under the lock); false when it is full of open spans.</summary>
    private bool MakeRoom()
    {
        var kept = 0;
        for (var i = 0; i < this.count; i++)
        {
            if (this.spans[i] is { IsStopped: false } span)
            {
                this.spans[kept++] = span;
            }
        }

        Array.Clear(this.spans, kept, this.count - kept);
        this.count = kept;

        // Grow while the list is more than half full of open spans, so that dropping is not repeated at every start.
        if (kept > this.spans.Length / 2 && this.spans.Length < Capacity)
        {
            Array.Resize(ref this.spans, Math.Min(this.spans.Length * 2, Capacity));
        }

        return kept < this.spans.Length;
    }
}
