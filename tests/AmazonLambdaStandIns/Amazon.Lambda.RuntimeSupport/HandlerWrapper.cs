// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/Bootstrap/HandlerWrapper.cs and
// Client/{InvocationRequest,InvocationResponse}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2):
// the asynchronous overloads of GetHandlerWrapper with their real behaviour (typed input deserialized with the
// serializer, typed output serialized into a rewound MemoryStream), and the class-library mode's synchronous one
// (the loader's delegate writes into an output stream, one reused stream per process unless AWS_LAMBDA_MAX_CONCURRENCY).
// As in the real one, only the overloads that take an ILambdaSerializer record it (Serializer, HandlerWrapper.cs
// "{ Serializer = serializer }"); the raw-stream ones leave it null, and LambdaBootstrap (SetSerializerOnContext) puts
// the recorded one, or nothing, on every invocation's ILambdaContext.Serializer. MinimalApiHostingTests
// (HostingServerSurfacesTheRegisteredSerializerOnTheContext) sees both through the hosting servers.
using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

public delegate Task<InvocationResponse> LambdaBootstrapHandler(InvocationRequest invocation);

public delegate Task<bool> LambdaBootstrapInitializer();

public class InvocationRequest : IDisposable
{
    internal InvocationRequest()
    {
    }

    public Stream InputStream { get; internal set; }

    public ILambdaContext LambdaContext { get; internal set; }

    public void Dispose()
    {
        this.InputStream?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public class InvocationResponse
{
    public InvocationResponse(Stream outputStream)
        : this(outputStream, true)
    {
    }

    public InvocationResponse(Stream outputStream, bool disposeOutputStream)
    {
        this.OutputStream = outputStream ?? throw new ArgumentNullException(nameof(outputStream));
        this.DisposeOutputStream = disposeOutputStream;
    }

    public Stream OutputStream { get; set; }

    public bool DisposeOutputStream { get; private set; } = true;
}

public class HandlerWrapper : IDisposable
{
    private static readonly InvocationResponse EmptyInvocationResponse = new(new MemoryStream(0), false);

    private HandlerWrapper(LambdaBootstrapHandler handler)
    {
        this.Handler = handler;
    }

    public LambdaBootstrapHandler Handler { get; private set; }

    internal ILambdaSerializer Serializer { get; set; }

    /// <summary>The class-library mode's wrapper: the loader's delegate writes the response into an output stream.</summary>
    public static HandlerWrapper GetHandlerWrapper(Action<Stream, ILambdaContext, MemoryStream> invokeDelegate)
    {
        // One output stream, reused by every invocation, unless invocations run at once (AWS_LAMBDA_MAX_CONCURRENCY set).
        var concurrent = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_MAX_CONCURRENCY"));
        var reused = new MemoryStream();
        return new(invocation =>
        {
            MemoryStream output;
            if (concurrent)
            {
                output = new MemoryStream();
            }
            else
            {
                reused.SetLength(0);
                output = reused;
            }

            invokeDelegate(invocation.InputStream, invocation.LambdaContext, output);
            output.Position = 0;
            return Task.FromResult(new InvocationResponse(output, false));
        });
    }

    public static HandlerWrapper GetHandlerWrapper(Func<Stream, ILambdaContext, Task> handler) =>
        new(async invocation =>
        {
            await handler(invocation.InputStream, invocation.LambdaContext).ConfigureAwait(false);
            return EmptyInvocationResponse;
        });

    public static HandlerWrapper GetHandlerWrapper<TInput>(Func<TInput, ILambdaContext, Task> handler, ILambdaSerializer serializer) =>
        new(async invocation =>
        {
            var input = serializer.Deserialize<TInput>(invocation.InputStream);
            await handler(input, invocation.LambdaContext).ConfigureAwait(false);
            return EmptyInvocationResponse;
        })
        { Serializer = serializer };

    public static HandlerWrapper GetHandlerWrapper(Func<Stream, ILambdaContext, Task<Stream>> handler) =>
        new(async invocation => new InvocationResponse(await handler(invocation.InputStream, invocation.LambdaContext).ConfigureAwait(false)));

    public static HandlerWrapper GetHandlerWrapper<TInput>(Func<TInput, ILambdaContext, Task<Stream>> handler, ILambdaSerializer serializer) =>
        new(async invocation =>
        {
            var input = serializer.Deserialize<TInput>(invocation.InputStream);
            return new InvocationResponse(await handler(input, invocation.LambdaContext).ConfigureAwait(false));
        })
        { Serializer = serializer };

    public static HandlerWrapper GetHandlerWrapper<TOutput>(Func<Stream, ILambdaContext, Task<TOutput>> handler, ILambdaSerializer serializer) =>
        new(async invocation => Serialized(await handler(invocation.InputStream, invocation.LambdaContext).ConfigureAwait(false), serializer))
        { Serializer = serializer };

    public static HandlerWrapper GetHandlerWrapper<TInput, TOutput>(Func<TInput, ILambdaContext, Task<TOutput>> handler, ILambdaSerializer serializer) =>
        new(async invocation =>
        {
            var input = serializer.Deserialize<TInput>(invocation.InputStream);
            return Serialized(await handler(input, invocation.LambdaContext).ConfigureAwait(false), serializer);
        })
        { Serializer = serializer };

    public void Dispose() => GC.SuppressFinalize(this);

    private static InvocationResponse Serialized<TOutput>(TOutput output, ILambdaSerializer serializer)
    {
        var stream = new MemoryStream();
        serializer.Serialize(output, stream);
        stream.Position = 0;
        return new InvocationResponse(stream, false);
    }
}
