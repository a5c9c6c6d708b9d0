// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/SnapshotRestore.Registry/RestoreHooksRegistry.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (SnapshotRestore.Registry 1.0.2). The namespace is the fact that matters
// most: a root namespace named SnapshotRestore.
using System.Collections.Concurrent;

namespace SnapshotRestore.Registry;

public class RestoreHooksRegistry
{
    private readonly ConcurrentStack<Func<ValueTask>> beforeSnapshotRegistry = new();
    private readonly ConcurrentQueue<Func<ValueTask>> afterRestoreRegistry = new();
    private readonly Action<string> logger;

    public RestoreHooksRegistry(Action<string> logger = null)
    {
        this.logger = logger ?? (_ => { });
    }

    public void RegisterBeforeSnapshot(Func<ValueTask> func) => this.beforeSnapshotRegistry.Push(func);

    public void RegisterAfterRestore(Func<ValueTask> func) => this.afterRestoreRegistry.Enqueue(func);

    public async Task InvokeBeforeSnapshotCallbacks()
    {
        this.logger($"Invoking {this.beforeSnapshotRegistry.Count} beforeSnapshotCallables");
        while (this.beforeSnapshotRegistry.TryPop(out var callable))
        {
            await callable().ConfigureAwait(false);
        }
    }

    public async Task InvokeAfterRestoreCallbacks()
    {
        this.logger($"Invoking {this.afterRestoreRegistry.Count} afterRestoreCallables");
        while (this.afterRestoreRegistry.TryDequeue(out var callable))
        {
            await callable().ConfigureAwait(false);
        }
    }
}
