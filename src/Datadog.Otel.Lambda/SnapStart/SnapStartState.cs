// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.SnapStart;

/// <summary>
/// What SnapStart did to this process. With <c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c> Lambda initializes the
/// function once, runs the before-snapshot hooks (where functions often warm themselves up by invoking their own
/// handler: "priming"), snapshots the process, and restores that snapshot into every new sandbox, running the
/// after-restore hooks there. The hooks registered through <c>DatadogSnapStart.RegisterHooks</c> report each restore:
/// it renews what must differ between restored sandboxes (<see cref="RestoredSpanIds"/>) and re-arms the cold-start
/// latch, whatever priming consumed before the snapshot.
/// </summary>
internal static class SnapStartState
{
    private static int hooksRegistered;
    private static long generation;
    private static long restoreTicks;

    /// <summary>Gets a value indicating whether the restore hooks were registered.</summary>
    public static bool HooksRegistered => Volatile.Read(ref hooksRegistered) != 0;

    /// <summary>Gets the number of restores this process has seen (0 before any): each one re-arms the cold-start latch.</summary>
    public static long Generation => Volatile.Read(ref generation);

    /// <summary>Gets when the last restore happened (meaningful once <see cref="Generation"/> is above 0).</summary>
    public static DateTimeOffset RestoreTime => new(Volatile.Read(ref restoreTicks), TimeSpan.Zero);

    public static void OnHooksRegistered()
    {
        if (Interlocked.Exchange(ref hooksRegistered, 1) == 0)
        {
            Diag.Debug("snapstart", "restore hooks registered");
        }
    }

    public static void OnBeforeSnapshot() =>
        Diag.Debug("snapstart", "the snapshot is being taken");

    public static void OnAfterRestore(DateTimeOffset now)
    {
        // The ids first: nothing traced after the restore may use the snapshot's.
        RestoredSpanIds.Renew();
        Volatile.Write(ref restoreTicks, now.UtcTicks);
        Interlocked.Increment(ref generation);
        Diag.Debug("snapstart", "restored from the snapshot: span ids renewed, cold start re-armed");
    }

    /// <summary>Back to a process that never heard of SnapStart (tests).</summary>
    internal static void Reset()
    {
        Volatile.Write(ref hooksRegistered, 0);
        Volatile.Write(ref generation, 0);
        Volatile.Write(ref restoreTicks, 0);
        RestoredSpanIds.Reset();
        RestoredIdsContextPropagator.Uninstall();
    }
}
