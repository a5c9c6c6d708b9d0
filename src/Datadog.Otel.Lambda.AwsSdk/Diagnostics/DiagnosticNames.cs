// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Diagnostics;

/// <summary>The names this package's self-diagnostics go by (the shared diagnostics code is compiled into each package).</summary>
internal static class DiagnosticNames
{
    /// <summary>The name of this package's <see cref="System.Diagnostics.Tracing.EventSource"/>.</summary>
    public const string EventSource = "Datadog-Otel-Lambda-AwsSdk";

    /// <summary>The name on this package's stdout diagnostic lines.</summary>
    public const string Logger = "Datadog.Otel.Lambda.AwsSdk";
}
