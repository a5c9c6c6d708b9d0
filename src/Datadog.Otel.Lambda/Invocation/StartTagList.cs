// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// The tags a span is started with, so that samplers see every tag the plan knows before the span exists (Datadog's
/// tracers sample the local root with all its tags). <c>StartActivity</c> copies them into the span, so one list per
/// thread is filled, passed and emptied for each span: no array or enumerator is allocated per span. Samplers and
/// listeners read it only while the span is created, as the <c>ActivityCreationOptions</c> contract has it.
/// </summary>
internal sealed class StartTagList : IReadOnlyList<KeyValuePair<string, object?>>, ITagSink
{
    [ThreadStatic]
    private static StartTagList? cached;

    private KeyValuePair<string, object?>[] items = new KeyValuePair<string, object?>[48];
    private int count;
    private Enumerator? enumerator;

    private StartTagList()
    {
    }

    public int Count => this.count;

    public KeyValuePair<string, object?> this[int index] => (uint)index < (uint)this.count ? this.items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>This thread's list, empty; give it back with <see cref="Return"/>.</summary>
    public static StartTagList Rent()
    {
        var list = cached ?? new StartTagList();
        cached = null;
        return list;
    }

    /// <summary>Empties the list (releasing its values) and keeps it for this thread's next span.</summary>
    public void Return()
    {
        Array.Clear(this.items, 0, this.count);
        this.count = 0;
        cached = this;
    }

    public void Add(string key, object? value)
    {
        if (this.count == this.items.Length)
        {
            Array.Resize(ref this.items, this.items.Length * 2);
        }

        this.items[this.count++] = new(key, value);
    }

    public void AddRange(KeyValuePair<string, object?>[] tags)
    {
        foreach (var tag in tags)
        {
            this.Add(tag.Key, tag.Value);
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        // The activity enumerates the tags once, to the end; a second enumeration at the same time gets its own enumerator.
        var free = this.enumerator;
        if (free is not null && !free.InUse)
        {
            free.Restart();
            return free;
        }

        var created = new Enumerator(this);
        this.enumerator ??= created;
        return created;
    }

    IEnumerator IEnumerable.GetEnumerator() => this.GetEnumerator();

    private sealed class Enumerator(StartTagList list) : IEnumerator<KeyValuePair<string, object?>>
    {
        private int index = -1;

        public bool InUse { get; private set; } = true;

        public KeyValuePair<string, object?> Current => list.items[this.index];

        object IEnumerator.Current => this.Current;

        public void Restart()
        {
            this.index = -1;
            this.InUse = true;
        }

        public bool MoveNext()
        {
            if (this.index + 1 < list.count)
            {
                this.index++;
                return true;
            }

            this.InUse = false;
            return false;
        }

        public void Reset() => this.index = -1;

        public void Dispose() => this.InUse = false;
    }
}
