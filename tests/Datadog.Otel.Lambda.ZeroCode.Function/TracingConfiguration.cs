// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using OpenTelemetry.Trace;
using ZeroCodeFunction;

namespace Datadog.Otel.Lambda;

/// <summary>The function's addition to the redirect's tracer provider (the extension point docs/zero-code.md shows).</summary>
internal sealed partial class DatadogLambdaHandler
{
    static partial void ConfigureTracing(TracerProviderBuilder builder)
    {
        // Test-only: a provider that fails to build (the redirect must then run the function untraced).
        if (Environment.GetEnvironmentVariable("ZEROCODE_TEST_FAIL_TRACING") == "true")
        {
            throw new InvalidOperationException("the test asked the provider to fail");
        }

        builder.AddSource(OrdersFunction.SourceName);
    }
}
