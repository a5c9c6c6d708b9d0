// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Logging;

/// <summary>
/// Puts <see cref="Console.Out"/> and <see cref="Console.Error"/> behind a <see cref="CorrelatingConsoleWriter"/>. The
/// swap waits for the first traced invocation: Lambda's runtime replaces both writers with its own formatting ones
/// while it starts, and ours must wrap those (wrapped by them instead, ours would see already formatted lines).
/// </summary>
internal static class ConsoleCorrelation
{
    private static readonly object Sync = new();
    private static int requested;
    private static int installed;

    /// <summary>Asks for console correlation; it starts now inside an invocation, else with the next one.</summary>
    public static void Request()
    {
        Volatile.Write(ref requested, 1);
        if (CurrentInvocation.Value is not null)
        {
            InstallIfRequested();
        }
    }

    /// <summary>Called at the start of every invocation: one volatile read unless correlation was asked for and is not on yet.</summary>
    public static void InstallIfRequested()
    {
        if (Volatile.Read(ref requested) == 0 || Volatile.Read(ref installed) == 1)
        {
            return;
        }

        lock (Sync)
        {
            if (installed == 1)
            {
                return;
            }

            try
            {
                var json = LambdaLogFormat.IsJson;
                Console.SetOut(new CorrelatingConsoleWriter(Console.Out, isError: false, json));
                Console.SetError(new CorrelatingConsoleWriter(Console.Error, isError: true, json));
            }
#pragma warning disable CA1031 // Console correlation is optional; the function keeps its console as it was.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.TracingFailed("console log correlation", ex);
            }

            Volatile.Write(ref installed, 1);
        }
    }
}
