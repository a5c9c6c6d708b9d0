// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// This file is added to your project by the Datadog.Otel.Lambda package and compiled there, next to
// Amazon.Lambda.Core (2.5.0 or later, .NET 8 or later). With Lambda SnapStart
// (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start) it registers Datadog.Otel.Lambda's restore hooks when your assembly
// loads, before the runtime collects the hooks:
//   - before the snapshot (it runs after the priming hooks you register later, because before-snapshot hooks run
//     last-registered first): nothing to do but note it;
//   - after each restore (it runs first): renews span ids, so that sandboxes restored from one snapshot never share
//     them, and re-arms the cold start, so the first invocation reports the restore (aws.lambda.snapstart_restore)
//     when it comes within 10 s of the restore (later, it is a proactive initialization).
// Without SnapStart it does nothing. To register the hooks yourself instead (for example from your own
// SnapshotRestore hooks), define DATADOG_LAMBDA_NO_SNAPSTART_HOOKS and call, during initialization:
//     DatadogSnapStart.RegisterHooks(global::Amazon.Lambda.Core.SnapshotRestore.RegisterBeforeSnapshot, global::Amazon.Lambda.Core.SnapshotRestore.RegisterAfterRestore);
// The type is named in full because Amazon.Lambda.RuntimeSupport brings the package SnapshotRestore.Registry, whose root
// namespace SnapshotRestore hides the type Amazon.Lambda.Core.SnapshotRestore from `using Amazon.Lambda.Core;`.
// Checked against Amazon.Lambda.Core 3.2.0, alone and with Amazon.Lambda.RuntimeSupport 2.1.2 (README, "The
// Amazon.Lambda packages").
#nullable enable

#if NET8_0_OR_GREATER && !DATADOG_LAMBDA_LEGACY_CORE && !DATADOG_LAMBDA_NO_SNAPSTART_HOOKS
using System.Runtime.CompilerServices;

namespace Datadog.Otel.Lambda;

/// <summary>Registers Datadog.Otel.Lambda's SnapStart restore hooks when the assembly loads.</summary>
internal static class DatadogSnapStartHooks
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before the runtime collects the hooks.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        DatadogSnapStart.RegisterHooks(global::Amazon.Lambda.Core.SnapshotRestore.RegisterBeforeSnapshot, global::Amazon.Lambda.Core.SnapshotRestore.RegisterAfterRestore);
}
#endif
