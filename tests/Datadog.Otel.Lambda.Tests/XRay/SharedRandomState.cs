// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Reflection;

namespace Datadog.Otel.Lambda.Tests.XRay;

/// <summary>
/// Test-only access to the current thread's state of <see cref="Random.Shared"/> (a <c>[ThreadStatic]</c> xoshiro
/// generator inside <c>Random.ThreadSafeRandom</c>), to play what a SnapStart restore does to it: every restored sandbox
/// starts with the snapshot's state. Reflection on runtime-private types: if the runtime changes them, the test fails
/// loudly rather than pass vacuously.
/// </summary>
internal static class SharedRandomState
{
    private static readonly FieldInfo Current =
        typeof(Random).GetNestedType("ThreadSafeRandom", BindingFlags.NonPublic)!
            .GetFields(BindingFlags.NonPublic | BindingFlags.Static).Single(f => f.GetCustomAttribute<ThreadStaticAttribute>() is not null);

    /// <summary>The current thread's generator state (the thread must have used Random.Shared already).</summary>
    public static ulong[] Capture()
    {
        var generator = Current.GetValue(null) ?? throw new InvalidOperationException("this thread has not used Random.Shared yet");
        var state = State(generator);
        Assert.NotEmpty(state);
        return state.Select(f => (ulong)f.GetValue(generator)!).ToArray();
    }

    /// <summary>Puts a captured state back on the current thread.</summary>
    public static void Restore(ulong[] values)
    {
        var generator = Current.GetValue(null) ?? throw new InvalidOperationException("this thread has no generator");
        var state = State(generator);
        for (var i = 0; i < state.Length; i++)
        {
            state[i].SetValue(generator, values[i]);
        }
    }

    private static FieldInfo[] State(object generator) =>
        generator.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Where(f => f.FieldType == typeof(ulong)).ToArray();
}
