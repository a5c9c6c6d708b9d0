// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.SnapStart;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Lambda SnapStart support. Register the hooks once, during initialization, with the runtime's
/// <c>Amazon.Lambda.Core.SnapshotRestore</c>; the <c>DatadogSnapStartHooks.cs</c> source file the package adds to your
/// project does it for you when your assembly loads:
/// <code>
/// DatadogSnapStart.RegisterHooks(global::Amazon.Lambda.Core.SnapshotRestore.RegisterBeforeSnapshot, global::Amazon.Lambda.Core.SnapshotRestore.RegisterAfterRestore);
/// </code>
/// (The full name: <c>Amazon.Lambda.RuntimeSupport</c> brings a root namespace <c>SnapshotRestore</c> that hides the type
/// from <c>using Amazon.Lambda.Core;</c>.)
/// Before the snapshot, spans that ended during initialization and are still queued are sent (for at most 2 s) and
/// whatever could not be sent is dropped, so that restored sandboxes do not each send them again.
/// After each restore, span ids are renewed so that restored sandboxes never share them, and the sandbox's first
/// invocation reports the restore (<c>aws.lambda.snapstart_restore</c>) as its cold start, even when the function
/// invoked its own handler before the snapshot to warm up (priming).
/// </summary>
public static class DatadogSnapStart
{
    /// <summary>
    /// Registers the before-snapshot and after-restore hooks when the function runs with SnapStart
    /// (<c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>); does nothing otherwise. Never throws.
    /// </summary>
    /// <param name="registerBeforeSnapshot"><c>SnapshotRestore.RegisterBeforeSnapshot</c>.</param>
    /// <param name="registerAfterRestore"><c>SnapshotRestore.RegisterAfterRestore</c>.</param>
    public static void RegisterHooks(Action<Func<ValueTask>> registerBeforeSnapshot, Action<Func<ValueTask>> registerAfterRestore) =>
        RegisterHooks(registerBeforeSnapshot, registerAfterRestore, Environment.GetEnvironmentVariable(EnvironmentVariables.AwsLambdaInitializationType));

    internal static void RegisterHooks(Action<Func<ValueTask>> registerBeforeSnapshot, Action<Func<ValueTask>> registerAfterRestore, string? initializationType)
    {
        // Registered outside SnapStart the hooks would never run, and invocations would wait for a restore forever.
        if (registerBeforeSnapshot is null || registerAfterRestore is null || !string.Equals(initializationType, "snap-start", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            // Before-snapshot hooks run last-registered first: registered early, ours runs after the priming hooks.
            registerBeforeSnapshot(BeforeSnapshot);
            registerAfterRestore(AfterRestore);
            SnapStartState.OnHooksRegistered();

            // Now, while the function's assembly loads: an HttpClient handler takes the propagator that is current
            // when it is made, and the function's clients are made after this.
            RestoredIdsContextPropagator.Install();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Diag.TracingFailed("SnapStart hooks", ex);
        }
    }

    private static async ValueTask BeforeSnapshot()
    {
        try
        {
            SnapStartState.OnBeforeSnapshot();

            // Spans that ended during initialization would otherwise be in the snapshot, and every restored sandbox
            // would send them again.
            await QueuedSpansAtSnapshot.SendOrDropAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The runtime's other hooks (and the snapshot) must not depend on the tracer.
            Diag.TracingFailed("SnapStart snapshot", ex);
        }
    }

    private static ValueTask AfterRestore()
    {
        SnapStartState.OnAfterRestore(DateTimeOffset.UtcNow);
        return default;
    }
}
