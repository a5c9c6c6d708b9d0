// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Runtime.InteropServices;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tool;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!CommandLine.TryParse(args, out var commandLine, out var error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return 2;
        }

        if (commandLine.ShowHelp)
        {
            await Console.Out.WriteAsync(CommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        ExtensionEmulator emulator;
        try
        {
            emulator = await ExtensionEmulator.StartAsync(commandLine.Options, stop.Token).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{commandLine.Options.Port}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using var running = emulator.ConfigureAwait(false);
        using var printer = new TraceCompletionPrinter(emulator, Console.Out, TimeProvider.System, TraceCompletionPrinter.DefaultQuietPeriod);
        await Console.Out.WriteLineAsync($"dd-lambda-emulator listening on {emulator.TracesEndpoint} (Ctrl+C to stop)").ConfigureAwait(false);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }

        printer.Flush();
        return 0;

        void Stop(PosixSignalContext context)
        {
            // Handled: shut down cleanly instead of letting the runtime terminate the process.
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
