// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Completes an invocation's task with the handler's result once its flush has completed (<c>InvocationRunner</c>): the
/// result the wrapper returns (<see cref="InvocationScope.CompleteResult{TResult}"/>) is made after the spans were exported,
/// as it was when an <c>async</c> method awaited the flush. The flush never faults (it reports its own failures), so its
/// outcome is not read.
/// </summary>
internal static class FlushCompletion
{
    /// <summary>The continuation every flush shares: not generic, so nothing is compiled per result type.</summary>
    public static readonly Action<Task, object?> Complete = static (_, state) => ((IFlushed)state!).OnFlushed();

    public interface IFlushed
    {
        void OnFlushed();
    }
}

/// <summary>The completion of an invocation whose handler returned a <typeparamref name="TResult"/>.</summary>
internal sealed class FlushCompletion<TResult> : TaskCompletionSource<TResult>, FlushCompletion.IFlushed
{
    private readonly InvocationScope scope;
    private readonly TResult result;

    public FlushCompletion(InvocationScope scope, TResult result)
    {
        this.scope = scope;
        this.result = result;
    }

    public void OnFlushed() => this.TrySetResult(this.scope.CompleteResult(this.result));
}
