// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// Handler exceptions of every shape are rethrown unchanged and at once, and their <c>error.*</c> tags stay bounded:
/// <see cref="Exception.ToString"/> (which recursed once per inner exception, copying the text at every level) is never
/// called, so deep chains cost neither quadratic time nor the stack, and hostile overrides cannot break the invocation.
/// </summary>
[Collection("Tracing")]
public class ExceptionFormattingTests
{
    [Fact]
    public void AHundredThousandDeepChainIsRethrownAndTaggedWithinTheBounds()
    {
        using var tracing = new TestTracing();
        var thrown = Chain(100_000);
        var caught = Assert.Throws<InvalidOperationException>(() =>
            DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context(), (Func<Stream, DatadogLambdaContext, int>)((_, _) => throw thrown)));

        Assert.Same(thrown, caught);
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("level 0", span.GetTagItem("error.msg"));
        var stack = (string)span.GetTagItem("error.stack")!;
        Assert.InRange(stack.Length, 1, ExceptionText.MaxStackLength);
        Assert.StartsWith("System.InvalidOperationException: level 0" + Environment.NewLine + " ---> System.InvalidOperationException: level 1", stack, StringComparison.Ordinal);
        Assert.Contains("(1000+ more inner exceptions not shown)", stack, StringComparison.Ordinal);
        var exceptionEvent = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(stack, exceptionEvent.Tags.Single(t => t.Key == "exception.stacktrace").Value);
    }

    [Fact]
    public void AFiveThousandDeepChainCostsLittleMemory()
    {
        using var tracing = new TestTracing();
        var thrown = Chain(5_000);

        // The synchronous overload exports on this thread (the in-memory exporter is synchronous), so this thread's
        // allocations are the invocation's. ToString of such a chain allocated gigabytes (each level copies the text of
        // all the levels below it).
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidOperationException>(() =>
            DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context(), (Func<Stream, DatadogLambdaContext, int>)((_, _) => throw thrown)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 8 * 1024 * 1024);
        Assert.NotNull(tracing.LambdaSpan("req-1").GetTagItem("error.stack"));
    }

    [Fact]
    public async Task NestedAndWideAggregatesAreBounded()
    {
        using var tracing = new TestTracing();

        // AggregateException.Message joins its inner messages recursively, on every call.
        Exception nested = new InvalidOperationException("innermost");
        for (var i = 0; i < 100_000; i++)
        {
            nested = new AggregateException(nested);
        }

        var wide = new AggregateException("wide", Enumerable.Range(0, 100_000).Select(i => new InvalidOperationException("inner " + i)));
        foreach (var (id, thrown) in new[] { ("nested", nested), ("wide", (Exception)wide) })
        {
            var caught = await Assert.ThrowsAnyAsync<Exception>(() =>
                DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), TestTracing.Context(id), (_, _) => throw thrown));
            Assert.Same(thrown, caught);
            var span = tracing.LambdaSpan(id);
            Assert.InRange(((string)span.GetTagItem("error.msg")!).Length, 1, ExceptionText.MaxMessageLength);
            Assert.InRange(((string)span.GetTagItem("error.stack")!).Length, 1, ExceptionText.MaxStackLength);
        }

        Assert.Equal("One or more errors occurred.", tracing.LambdaSpan("nested").GetTagItem("error.msg"));
        Assert.Contains("(99992 more inner exceptions not shown)", (string)tracing.LambdaSpan("wide").GetTagItem("error.stack")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileOverridesDoNotReachTheCaller()
    {
        using var tracing = new TestTracing();
        var cases = new Exception[]
        {
            new HostileException(throwFromMessage: true),
            new HostileException(throwFromStackTrace: true),
            new HostileException(throwFromToString: true),
            new HostileException(hugeMessage: true),
            new SelfReferencingException(),
            new InvalidOperationException("outer", new HostileException(throwFromMessage: true, throwFromStackTrace: true)),
        };

        for (var i = 0; i < cases.Length; i++)
        {
            var thrown = cases[i];
            var caught = await Assert.ThrowsAnyAsync<Exception>(() =>
                DatadogLambda.TraceAsync<int>(tracing.Provider, Event(), TestTracing.Context("hostile-" + i), async (_, _) =>
                {
                    await Task.Yield();
                    throw thrown;
                }));
            Assert.Same(thrown, caught);
            var span = tracing.LambdaSpan("hostile-" + i);
            Assert.Equal(thrown.GetType().FullName, span.GetTagItem("error.type"));
            Assert.InRange(((string)span.GetTagItem("error.msg")!).Length, 0, ExceptionText.MaxMessageLength);
            Assert.InRange(((string)span.GetTagItem("error.stack")!).Length, 1, ExceptionText.MaxStackLength);
        }

        Assert.Equal(0, SelfReferencingException.ToStringCalls);
    }

    [Fact]
    public void EachExceptionIsReadOnceAndAtMostTheBoundedNumber()
    {
        CountingException? chain = null;
        var all = new List<CountingException>();
        for (var i = 0; i < 100; i++)
        {
            chain = new CountingException("level " + (99 - i), chain);
            all.Add(chain);
        }

        var description = ExceptionText.Describe(chain!);

        Assert.Equal("level 0", description.Message);
        Assert.All(all, e => Assert.InRange(e.MessageReads, 0, 1));
        Assert.All(all, e => Assert.InRange(e.StackTraceReads, 0, 1));
        Assert.Equal(ExceptionText.MaxChainDepth + 1, all.Count(e => e.MessageReads == 1));
        Assert.Contains("(91 more inner exceptions not shown)", description.Stack, StringComparison.Ordinal);
    }

    [Fact]
    public void ShallowExceptionsReadAsToStringWritesThem()
    {
        Exception Thrown(Func<Exception> make)
        {
            try
            {
                throw make();
            }
            catch (Exception ex)
            {
                return ex;
            }
        }

        var inner = Thrown(() => new ArgumentException("bad argument", "name"));
        var chained = Thrown(() => new InvalidOperationException("outer", Thrown(() => new FormatException("middle", inner))));
        var aggregate = new AggregateException("many", Thrown(() => new InvalidOperationException("one")), Thrown(() => new FormatException("two")), inner);
        foreach (var exception in new[] { inner, chained, aggregate, new InvalidOperationException(), new Exception(string.Empty) })
        {
            var description = ExceptionText.Describe(exception);
            Assert.Equal(exception.ToString(), description.Stack);
            Assert.Equal(exception.Message, description.Message);
            Assert.Equal(exception.GetType().FullName, description.Type);
        }
    }

    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes("{}"));

    private static InvalidOperationException Chain(int depth)
    {
        InvalidOperationException? exception = null;
        for (var i = depth - 1; i >= 0; i--)
        {
            exception = new InvalidOperationException("level " + i, exception);
        }

        return exception!;
    }

    private sealed class HostileException(bool throwFromMessage = false, bool throwFromStackTrace = false, bool throwFromToString = false, bool hugeMessage = false) : Exception
    {
        private static readonly string Huge = new('m', 10_000_000);

        public override string Message => throwFromMessage ? throw new InvalidOperationException("Message") : hugeMessage ? Huge : "hostile";

        public override string? StackTrace => throwFromStackTrace ? throw new InvalidOperationException("StackTrace") : base.StackTrace;

        public override string ToString() => throwFromToString ? throw new InvalidOperationException("ToString") : base.ToString();
    }

    /// <summary>An exception whose ToString recurses through a property that leads back to itself: it never ends.</summary>
    private sealed class SelfReferencingException : Exception
    {
        public static int ToStringCalls;

        public SelfReferencingException()
            : base("self")
        {
        }

        public Exception Related => this;

        public override string ToString()
        {
            Interlocked.Increment(ref ToStringCalls);
            return base.ToString() + this.Related.ToString();
        }
    }

    private sealed class CountingException(string message, Exception? inner) : Exception(message, inner)
    {
        public int MessageReads { get; private set; }

        public int StackTraceReads { get; private set; }

        public override string Message
        {
            get
            {
                this.MessageReads++;
                return base.Message;
            }
        }

        public override string? StackTrace
        {
            get
            {
                this.StackTraceReads++;
                return base.StackTrace;
            }
        }
    }
}
