// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Invocation;

namespace OpenTelemetry.Trace;

/// <summary>Adds the Datadog Lambda distribution to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class DatadogLambdaTracerProviderBuilderExtensions
{
    /// <summary>
    /// Configures the provider for AWS Lambda and Datadog: the invocation, inferred and cold-start spans; Datadog
    /// propagation and sampling; the function's resource (service, env, version from <c>DD_SERVICE</c>/<c>DD_ENV</c>/
    /// <c>DD_VERSION</c>/<c>DD_TAGS</c>, <c>OTEL_*</c>, and the Lambda environment); and an OTLP http/protobuf exporter to
    /// the Datadog Lambda Extension (<c>http://127.0.0.1:4318/v1/traces</c>) unless <c>OTEL_EXPORTER_OTLP_*</c> point
    /// elsewhere, <c>OTEL_TRACES_EXPORTER</c> names other exporters, or an OTLP exporter is already configured on this
    /// builder. Settings are read once, when the provider is built, from its <c>IConfiguration</c> (environment variables,
    /// and appsettings.json or any other source the host adds). Works beside the instrumentations and exporters you add
    /// yourself.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogLambda(this TracerProviderBuilder builder) =>
        AddDatadogLambda(builder, name: null, configure: null);

    /// <summary>Adds the Datadog Lambda distribution (see <see cref="AddDatadogLambda(TracerProviderBuilder)"/>) with code options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">
    /// Code options, applied after any <c>services.Configure&lt;DatadogLambdaOptions&gt;(…)</c>; configured settings
    /// (<c>DD_*</c>) take precedence over them unless an option's documentation says otherwise.
    /// </param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogLambda(this TracerProviderBuilder builder, Action<DatadogLambdaOptions>? configure) =>
        AddDatadogLambda(builder, name: null, configure);

    /// <summary>
    /// Adds the Datadog Lambda distribution (see <see cref="AddDatadogLambda(TracerProviderBuilder)"/>) with named options,
    /// as OpenTelemetry's exporters have them: the options are <c>IOptionsMonitor&lt;DatadogLambdaOptions&gt;.Get(name)</c>,
    /// configured by <c>services.Configure&lt;DatadogLambdaOptions&gt;(name, …)</c> and by <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The options name; <see langword="null"/> for the default (unnamed) options, which
    /// <c>services.Configure&lt;DatadogLambdaOptions&gt;(…)</c> configures and <paramref name="configure"/> then completes.</param>
    /// <param name="configure">Code options; configured settings (<c>DD_*</c>) take precedence over them.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddDatadogLambda(this TracerProviderBuilder builder, string? name, Action<DatadogLambdaOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var setup = new DatadogLambdaSetup(name, configure);
        builder.ConfigureServices(setup.ConfigureServices);
        builder.AddSource(LambdaActivitySource.Name);
        if (builder is IDeferredTracerProviderBuilder deferred)
        {
            deferred.Configure(setup.ConfigureProvider);
        }
        else
        {
            Diag.Warn("config", "the TracerProviderBuilder does not support deferred configuration; AddDatadogLambda() cannot configure it");
        }

        return builder;
    }
}
