// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace EventConsumers;

/// <summary>
/// The tracer provider every consumer here builds once per sandbox, in its constructor (Lambda's init phase).
/// <c>configure</c> lets the tests and the local demo point the export at the extension emulator.
/// </summary>
public static class ConsumerTracing
{
    /// <summary>The source of the consumers' own spans.</summary>
    public static readonly ActivitySource Source = new("EventConsumers");

    public static TracerProvider Build(Action<DatadogLambdaOptions>? configure) =>
        Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(configure)
            .AddSource(Source.Name)
            .Build()!;
}
