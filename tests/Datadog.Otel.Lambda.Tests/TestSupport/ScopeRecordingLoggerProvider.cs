// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// A logging provider that keeps each entry with the scopes it was written in, the way scope-aware providers (console,
/// OpenTelemetry, Serilog) read them: through the factory's <see cref="IExternalScopeProvider"/>.
/// </summary>
internal sealed class ScopeRecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? scopes;

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => this.scopes = scopeProvider;

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, string Message, IReadOnlyList<object?> Scopes)
    {
        /// <summary>Gets every key/value pair of every scope, outermost first.</summary>
        public IEnumerable<KeyValuePair<string, object?>> ScopeFields =>
            this.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s);

        public string? Field(string key) => this.ScopeFields.Where(p => p.Key == key).Select(p => p.Value?.ToString()).SingleOrDefault();
    }

    private sealed class Logger(ScopeRecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var seen = new List<object?>();
            owner.scopes?.ForEachScope(static (scope, list) => list.Add(scope), seen);
            owner.Entries.Enqueue(new Entry(category, formatter(state, exception), seen));
        }
    }
}
