// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.SnapStart;

/// <summary>
/// Span ids that stay unique across sandboxes restored from one SnapStart snapshot.
/// <para>
/// .NET draws span ids from a per-thread xoshiro256** generator (<c>System.Diagnostics.RandomNumberGenerator</c>, a
/// <c>[ThreadStatic]</c> field), seeded from <see cref="Guid.NewGuid"/> the first time a thread creates an id. A thread
/// that created ids before the snapshot (priming, ASP.NET Core's warm-up requests, a static constructor) carries that
/// generator's state into the snapshot, and every sandbox restored from it then draws the same ids on that thread, in
/// the same order. Two restored sandboxes serving one trace (a Step Functions Map state, a fan-out) would give Datadog
/// two spans with one id. The generator cannot be reseeded from outside its thread, and an
/// <see cref="Activity"/>'s span id cannot be chosen.
/// </para>
/// <para>
/// So every id this process created is rewritten on its way out — in the OTLP export, in injected headers, in log
/// correlation — as <c>id XOR salt</c>, with a salt drawn from the kernel (<see cref="Guid.NewGuid"/>) at each restore.
/// XOR with one salt is a bijection, so ids stay unique within the sandbox and parent/child relations hold; two
/// sandboxes have different salts, so their ids differ. Ids that came from elsewhere (an extracted parent, a link to an
/// upstream span: <see cref="ActivityContext.IsRemote"/>) are left alone. Before any restore the salt is 0 and ids pass
/// unchanged. Trace ids need none of this: <see cref="DatadogTraceIdGenerator"/> reads the kernel for each one.
/// </para>
/// </summary>
internal static class RestoredSpanIds
{
    private static ulong salt;

    /// <summary>Gets a value indicating whether ids are being rewritten (after a restore).</summary>
    public static bool IsActive => Volatile.Read(ref salt) != 0;

    /// <summary>The id of a span this process created, as the world sees it.</summary>
    public static ActivitySpanId Local(ActivitySpanId id)
    {
        var current = Volatile.Read(ref salt);
        if (current == 0 || id == default)
        {
            return id;
        }

        var value = DatadogIds.ToUInt64(id) ^ current;

        // 0 is "no span" everywhere: keep the original id for the one input that would map there.
        return value == 0 ? id : DatadogIds.SpanId(value);
    }

    /// <summary>A context about to be injected: its span id rewritten when it is this process's own.</summary>
    public static ActivityContext Outgoing(in ActivityContext context)
    {
        if (Volatile.Read(ref salt) == 0 || context.IsRemote)
        {
            return context;
        }

        return new ActivityContext(context.TraceId, Local(context.SpanId), context.TraceFlags, context.TraceState, isRemote: false);
    }

    /// <summary>A span's parent id as exported: rewritten unless the parent came from another process.</summary>
    public static ActivitySpanId Parent(Activity activity) =>
        activity.HasRemoteParent ? activity.ParentSpanId : Local(activity.ParentSpanId);

    /// <summary>A link's span id as exported.</summary>
    public static ActivitySpanId Linked(in ActivityContext context) =>
        context.IsRemote ? context.SpanId : Local(context.SpanId);

    public static void Renew()
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong value;
        do
        {
            Guid.NewGuid().TryWriteBytes(bytes);
            value = BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        }
        while (value == 0 || value == Volatile.Read(ref salt));

        Volatile.Write(ref salt, value);
    }

    internal static void Reset() => Volatile.Write(ref salt, 0);
}
