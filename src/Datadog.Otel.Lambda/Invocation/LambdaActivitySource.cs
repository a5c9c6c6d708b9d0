// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>The activity source of the invocation, inferred and cold-start spans.</summary>
internal static class LambdaActivitySource
{
    public const string Name = "Datadog.Otel.Lambda";

    public static readonly string Version = Internal.LibraryVersion.Value;

    public static readonly ActivitySource Source = new(Name, Version);
}
