// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using SnapshotRestore.Registry;
using CoreSnapshotRestore = Amazon.Lambda.Core.SnapshotRestore;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// The runtime client's part around a SnapStart snapshot, as Amazon.Lambda.RuntimeSupport plays it: the hooks the
/// function registered with Amazon.Lambda.Core's SnapshotRestore are drained, in registration order, into a
/// SnapshotRestore.Registry RestoreHooksRegistry, which runs before-snapshot hooks last-registered first and
/// after-restore hooks in order.
/// </summary>
internal sealed class RuntimeSnapshotHooks
{
    private readonly RestoreHooksRegistry registry = new();

    /// <summary>Drains the hooks registered so far into this registry.</summary>
    /// <returns>How many hooks there were.</returns>
    public int Collect()
    {
        var count = 0;
        CoreSnapshotRestore.CopyBeforeSnapshotCallbacksToRegistry(hook =>
        {
            count++;
            this.registry.RegisterBeforeSnapshot(hook);
        });
        CoreSnapshotRestore.CopyAfterRestoreCallbacksToRegistry(hook =>
        {
            count++;
            this.registry.RegisterAfterRestore(hook);
        });
        return count;
    }

    public Task BeforeSnapshotAsync() => this.registry.InvokeBeforeSnapshotCallbacks();

    public Task AfterRestoreAsync() => this.registry.InvokeAfterRestoreCallbacks();

    /// <summary>Forgets every hook registered so far.</summary>
    public static void Discard() => new RuntimeSnapshotHooks().Collect();
}
