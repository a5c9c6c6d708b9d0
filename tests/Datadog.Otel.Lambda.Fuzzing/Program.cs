// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Fuzzing;
using SharpFuzz;

// Usage: Datadog.Otel.Lambda.Fuzzing <event|propagation|response|exception> [--libfuzzer | --run FILE...]
// AFL++ mode by default (build/fuzz.sh runs it); --libfuzzer for libfuzzer-dotnet; --run replays files (a crash).
if (args.Length == 0 || !Targets.TryGet(args[0], out var target))
{
    Console.Error.WriteLine("usage: Datadog.Otel.Lambda.Fuzzing <event|propagation|response|exception> [--libfuzzer | --run FILE...]");
    return 2;
}

if (args.Length > 1 && args[1] == "--libfuzzer")
{
    Fuzzer.LibFuzzer.Run(span => target(span));
    return 0;
}

if (args.Length > 1 && args[1] == "--run")
{
    foreach (var file in args.Skip(2))
    {
        Console.WriteLine(file);
        target(File.ReadAllBytes(file));
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
return 0;

/// <summary>The targets by name.</summary>
internal static class Targets
{
    public static bool TryGet(string name, out ReadOnlySpanAction target)
    {
        target = name switch
        {
            "event" => static span => FuzzTargets.Event(span),
            "propagation" => FuzzTargets.Propagation,
            "response" => static span => FuzzTargets.Response(span),
            "exception" => static span => FuzzTargets.Exception(span),
            _ => null!,
        };
        return target is not null;
    }
}
