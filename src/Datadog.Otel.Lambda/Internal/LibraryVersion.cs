// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Reflection;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>The distribution's version (<c>datadog_lambda</c> on <c>aws.lambda</c>, the activity sources' version).</summary>
internal static class LibraryVersion
{
    public static readonly string Value = typeof(LibraryVersion).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
