// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Planning;

/// <summary>What the first-invocation latch decided for one invocation.</summary>
internal enum ColdStartState
{
    Warm,
    ColdStart,
    ProactiveInitialization,

    /// <summary>The first invocation after a SnapStart restore.</summary>
    SnapStartRestore,
}
