// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Reflection;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>The activity source of the invocation, inferred and cold-start spans.</summary>
internal static class LambdaActivitySource
{
    public const string Name = "Datadog.Otel.Lambda";

    public static readonly string Version = typeof(LambdaActivitySource).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource Source = new(Name, Version);
}
