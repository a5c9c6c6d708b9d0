// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Core/SnapshotRestore.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (Amazon.Lambda.Core 3.2.0, .NET 8 build). The function registers hooks here;
// the runtime client (RuntimeSupport) drains both queues, in registration order, into SnapshotRestore.Registry's
// RestoreHooksRegistry, which runs before-snapshot hooks last-registered first and after-restore hooks in order.
using System.Collections.Concurrent;

namespace Amazon.Lambda.Core;

public static class SnapshotRestore
{
    private static readonly ConcurrentQueue<Func<ValueTask>> BeforeSnapshotRegistry = new();
    private static readonly ConcurrentQueue<Func<ValueTask>> AfterRestoreRegistry = new();

    public static void RegisterBeforeSnapshot(Func<ValueTask> beforeSnapshotAction) => BeforeSnapshotRegistry.Enqueue(beforeSnapshotAction);

    public static void RegisterAfterRestore(Func<ValueTask> afterRestoreAction) => AfterRestoreRegistry.Enqueue(afterRestoreAction);

    internal static void CopyBeforeSnapshotCallbacksToRegistry(Action<Func<ValueTask>> restoreHooksRegistryMethod)
    {
        while (BeforeSnapshotRegistry.TryDequeue(out var action))
        {
            restoreHooksRegistryMethod?.Invoke(action);
        }
    }

    internal static void CopyAfterRestoreCallbacksToRegistry(Action<Func<ValueTask>> restoreHooksRegistryMethod)
    {
        while (AfterRestoreRegistry.TryDequeue(out var action))
        {
            restoreHooksRegistryMethod?.Invoke(action);
        }
    }
}
