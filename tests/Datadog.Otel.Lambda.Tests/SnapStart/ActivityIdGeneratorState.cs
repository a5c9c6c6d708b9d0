// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Reflection;

namespace Datadog.Otel.Lambda.Tests.SnapStart;

/// <summary>
/// Test-only access to the state of .NET's per-thread span id generator (<c>System.Diagnostics.RandomNumberGenerator</c>,
/// a <c>[ThreadStatic]</c> xoshiro256**), to play what a SnapStart restore does: every restored sandbox starts with the
/// snapshot's generator state. A process cannot be snapshotted here, so the test captures the current thread's state
/// and puts it back, as a restore would. Reflection on a runtime-private type: if the runtime changes it, these tests
/// fail loudly rather than pass vacuously.
/// </summary>
internal static class ActivityIdGeneratorState
{
    private static readonly Type GeneratorType =
        typeof(Activity).Assembly.GetType("System.Diagnostics.RandomNumberGenerator", throwOnError: true)!;

    private static readonly FieldInfo Current =
        GeneratorType.GetFields(BindingFlags.NonPublic | BindingFlags.Static).Single(f => f.FieldType == GeneratorType && f.GetCustomAttribute<ThreadStaticAttribute>() is not null);

    private static readonly FieldInfo[] State =
        GeneratorType.GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Where(f => f.FieldType == typeof(ulong)).ToArray();

    /// <summary>The current thread's generator state (the thread must have created a span id already).</summary>
    public static ulong[] Capture()
    {
        var generator = Current.GetValue(null) ?? throw new InvalidOperationException("this thread has not created a span id yet");
        Assert.Equal(4, State.Length);
        return State.Select(f => (ulong)f.GetValue(generator)!).ToArray();
    }

    /// <summary>Puts a captured state back on the current thread.</summary>
    public static void Restore(ulong[] state)
    {
        var generator = Current.GetValue(null) ?? throw new InvalidOperationException("this thread has no generator");
        for (var i = 0; i < State.Length; i++)
        {
            State[i].SetValue(generator, state[i]);
        }
    }
}
