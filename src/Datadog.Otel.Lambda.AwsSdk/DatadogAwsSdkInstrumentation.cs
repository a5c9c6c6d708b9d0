// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk;

/// <summary>Names of the AWS SDK instrumentation, for configuration that refers to its spans.</summary>
public static class DatadogAwsSdkInstrumentation
{
    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> of every AWS SDK client span (one source for all services).
    /// <c>AddDatadogAwsSdkInstrumentation()</c> adds it; use it to refer to these spans elsewhere (samplers, processors,
    /// a listener of your own).
    /// </summary>
    public const string ActivitySourceName = "Datadog.Otel.Lambda.AwsSdk";
}
