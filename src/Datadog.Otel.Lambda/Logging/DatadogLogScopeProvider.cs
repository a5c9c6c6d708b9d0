// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// The logger factory's scope provider with one more scope: inside a traced invocation every provider that reads
/// scopes (console, OpenTelemetry, Serilog, NLog, Lambda's own with IncludeScopes) sees the current
/// <see cref="DatadogLogContext"/> as the outermost scope. Nothing is pushed or allocated per log line: the scope is the
/// cached context of the current span. Scopes the application begins go to the inner provider unchanged.
/// </summary>
internal sealed class DatadogLogScopeProvider : IExternalScopeProvider
{
    public DatadogLogScopeProvider(IExternalScopeProvider inner)
    {
        this.Inner = inner;
    }

    internal IExternalScopeProvider Inner { get; }

    public void ForEachScope<TState>(Action<object?, TState> callback, TState state)
    {
        if (LogCorrelation.Current() is { } correlation)
        {
            callback(correlation, state);
        }

        this.Inner.ForEachScope(callback, state);
    }

    public IDisposable Push(object? state) => this.Inner.Push(state);
}
