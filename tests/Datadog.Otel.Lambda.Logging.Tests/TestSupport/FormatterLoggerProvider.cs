// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Datadog.Otel.Lambda.Logging.Tests.TestSupport;

/// <summary>
/// Calls a console formatter the way the console logger does (on the logging thread, into a fresh writer, with the
/// factory's scope provider) and keeps each formatted entry, instead of queueing it for the process console.
/// </summary>
internal sealed class FormatterLoggerProvider(ConsoleFormatter formatter) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleFormatter formatter = formatter;
    private IExternalScopeProvider? scopes;

    public ConcurrentQueue<string> Output { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => this.scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(FormatterLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter();
            owner.formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner.scopes, writer);
            owner.Output.Enqueue(writer.ToString());
        }
    }
}
