// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Reflection;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The one activity source of every AWS SDK client span. One source (not one per SDK scope such as <c>AWSSDK.SQS</c>)
/// so a single <c>AddSource</c> covers every service, and so these spans never mix with those of OpenTelemetry's own
/// AWS instrumentation (<c>AWSSDK.*</c>) if both are configured.
/// </summary>
internal static class AwsSdkActivitySource
{
    public const string Name = DatadogAwsSdkInstrumentation.ActivitySourceName;

    /// <summary>Gets this package's version (the informational version without the commit).</summary>
    public static readonly string Version = typeof(AwsSdkActivitySource).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource Source = new(Name, Version);

    /// <summary>Gets a value indicating whether <paramref name="activity"/> is an AWS SDK client span of this package.</summary>
    public static bool IsClientSpan(Activity? activity) =>
        activity is { Kind: ActivityKind.Client } && ReferenceEquals(activity.Source, Source);
}
