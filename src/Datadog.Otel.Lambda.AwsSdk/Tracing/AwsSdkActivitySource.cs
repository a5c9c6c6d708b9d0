// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The one activity source of every AWS SDK client span. One source (not one per SDK scope such as <c>AWSSDK.SQS</c>)
/// so a single <c>AddSource</c> covers every service, and so these spans never mix with those of OpenTelemetry's own
/// AWS instrumentation (<c>AWSSDK.*</c>) if both are configured.
/// </summary>
internal static class AwsSdkActivitySource
{
    public const string Name = DatadogAwsSdkInstrumentation.ActivitySourceName;

    public static readonly ActivitySource Source = new(Name, LambdaActivitySource.Version);

    /// <summary>Gets a value indicating whether <paramref name="activity"/> is an AWS SDK client span of this package.</summary>
    public static bool IsClientSpan(Activity? activity) =>
        activity is { Kind: ActivityKind.Client } && ReferenceEquals(activity.Source, Source);
}
