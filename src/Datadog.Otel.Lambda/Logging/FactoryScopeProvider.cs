// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// The scope provider a <see cref="LoggerFactory"/> would have made itself. A factory given a scope provider does not
/// make its own, and its own is the one that adds the <c>ActivityTrackingOptions</c> scope (TraceId, SpanId, …, set by
/// the generic host's defaults) — an internal type. A throwaway factory with the same options hands it over through
/// <see cref="ISupportExternalScope"/>, so decorating it keeps everything the application configured.
/// </summary>
internal static class FactoryScopeProvider
{
    public static IExternalScopeProvider Create(LoggerFactoryOptions? options)
    {
        var tracking = options?.ActivityTrackingOptions ?? ActivityTrackingOptions.None;
        if (tracking == ActivityTrackingOptions.None)
        {
            return new LoggerExternalScopeProvider();
        }

        try
        {
            var capture = new Capture();
            using (new LoggerFactory([capture], new FixedFilterOptions(), Options.Create(new LoggerFactoryOptions { ActivityTrackingOptions = tracking })))
            {
            }

            return capture.ScopeProvider ?? new LoggerExternalScopeProvider();
        }
#pragma warning disable CA1031 // Fall back to plain scopes rather than break logging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.Warn("logs", $"could not keep ActivityTrackingOptions={tracking} with log correlation: {ex.Message}");
            return new LoggerExternalScopeProvider();
        }
    }

    private sealed class Capture : ILoggerProvider, ISupportExternalScope
    {
        public IExternalScopeProvider? ScopeProvider { get; private set; }

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => this.ScopeProvider = scopeProvider;

        public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class FixedFilterOptions : IOptionsMonitor<LoggerFilterOptions>
    {
        public LoggerFilterOptions CurrentValue { get; } = new();

        public LoggerFilterOptions Get(string? name) => this.CurrentValue;

        public IDisposable? OnChange(Action<LoggerFilterOptions, string?> listener) => null;
    }
}
