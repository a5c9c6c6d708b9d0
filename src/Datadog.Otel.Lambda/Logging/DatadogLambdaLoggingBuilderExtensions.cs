// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Logging;

/// <summary>Log/trace correlation for <c>Microsoft.Extensions.Logging</c>.</summary>
public static class DatadogLambdaLoggingBuilderExtensions
{
    /// <summary>
    /// Adds <c>dd.trace_id</c>, <c>dd.span_id</c>, <c>dd.service</c>, <c>dd.env</c>, <c>dd.version</c> and
    /// <c>lambda.request_id</c> to every log written inside a traced invocation, as the outermost logging scope, so that
    /// any provider that includes scopes carries them (console and OpenTelemetry with <c>IncludeScopes</c>, Serilog,
    /// NLog, …); the scope prints as <c>[dd.trace_id=… dd.span_id=…]</c>. Your own scopes and the host's
    /// <c>ActivityTrackingOptions</c> are kept. Switched off by <c>DD_LOGS_INJECTION=false</c>. Calling it again does nothing.
    /// </summary>
    /// <param name="builder">The logging builder (<c>builder.Logging</c> in a host).</param>
    /// <returns>The same builder.</returns>
    public static ILoggingBuilder AddDatadogLambdaCorrelation(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(CorrelationRegistered))
            {
                return builder;
            }
        }

        // Decorate a scope provider someone registered before us rather than drop it.
        ServiceDescriptor? existing = null;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IExternalScopeProvider) && !services[i].IsKeyedService)
            {
                existing = services[i];
                services.RemoveAt(i);
                break;
            }
        }

        services.AddSingleton(new CorrelationRegistered());

        // LoggerFactory takes an IExternalScopeProvider from the container and hands it to every provider.
        services.AddSingleton<IExternalScopeProvider>(sp => new DatadogLogScopeProvider(CreateInner(sp, existing)));
        return builder;
    }

    private static IExternalScopeProvider CreateInner(IServiceProvider services, ServiceDescriptor? existing)
    {
        if (existing?.ImplementationInstance is IExternalScopeProvider instance)
        {
            return instance;
        }

        if (existing?.ImplementationFactory is { } factory && factory(services) is IExternalScopeProvider made)
        {
            return made;
        }

        if (existing?.ImplementationType is { } type && ActivatorUtilities.CreateInstance(services, type) is IExternalScopeProvider created)
        {
            return created;
        }

        return FactoryScopeProvider.Create(services.GetService<IOptions<LoggerFactoryOptions>>()?.Value);
    }

    /// <summary>Marks the container as configured, so that a second call changes nothing.</summary>
    private sealed class CorrelationRegistered
    {
    }
}
