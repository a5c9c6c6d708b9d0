// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using BenchmarkDotNet.Running;

namespace Datadog.Otel.Lambda.Benchmarks;

internal static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "--profile-loop")
        {
            ProfileLoop(args[1], double.Parse(args[2], CultureInfo.InvariantCulture));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>
    /// Runs <see cref="InvocationBenchmarks.Datadog"/> for one event in a loop, for a sampling profiler to attribute its
    /// time (docs/performance.md, "Where the time goes"); BenchmarkDotNet measures, this only profiles.
    /// </summary>
    private static void ProfileLoop(string eventName, double seconds)
    {
        var benchmark = new InvocationBenchmarks { Event = eventName };
        benchmark.Setup();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        long invocations = 0;
        while (DateTime.UtcNow < until)
        {
            for (var i = 0; i < 1000; i++)
            {
                benchmark.Datadog();
            }

            invocations += 1000;
        }

        benchmark.Cleanup();
        Console.WriteLine(invocations.ToString(CultureInfo.InvariantCulture) + " invocations");
    }
}
