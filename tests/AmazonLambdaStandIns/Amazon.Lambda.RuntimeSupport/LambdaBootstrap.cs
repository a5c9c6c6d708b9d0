// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/Bootstrap/{LambdaBootstrap,
// LambdaBootstrapBuilder}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2): the on-demand loop.
// Per invocation, before the handler runs, the trace id from Lambda-Runtime-Trace-Id goes to _X_AMZN_TRACE_ID and to
// LambdaTraceProvider; a handler exception is posted to /error, a result to /response; an initializer's exception to
// /runtime/init/error. Any exception from the Runtime API client ends the loop, as in the real on-demand mode.
// Under SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start), after initialization, the hooks registered with
// Amazon.Lambda.Core's SnapshotRestore are drained into a SnapshotRestore.Registry RestoreHooksRegistry (as the real
// SnapstartHelperCopySnapshotCallbacksIsolated does) and run: before-snapshot, then after-restore, in place.
// Not reproduced: Lambda Managed Instances' concurrent loops, response streaming, SnapStart's /restore/next handshake.
using Amazon.Lambda.Core;
using SnapshotRestore.Registry;

namespace Amazon.Lambda.RuntimeSupport;

public class LambdaBootstrap : IDisposable
{
    private readonly LambdaBootstrapHandler handler;
    private readonly LambdaBootstrapInitializer initializer;
    private readonly HttpClient httpClient;
    private readonly bool ownsHttpClient;
    private ILambdaSerializer serializer;

    public LambdaBootstrap(HandlerWrapper handlerWrapper, LambdaBootstrapInitializer initializer = null)
        : this(null, handlerWrapper?.Handler, initializer, handlerWrapper?.Serializer)
    {
    }

    public LambdaBootstrap(LambdaBootstrapHandler handler, LambdaBootstrapInitializer initializer = null)
        : this(null, handler, initializer, null)
    {
    }

    public LambdaBootstrap(HttpClient httpClient, HandlerWrapper handlerWrapper, LambdaBootstrapInitializer initializer = null)
        : this(httpClient, handlerWrapper?.Handler, initializer, handlerWrapper?.Serializer)
    {
    }

    public LambdaBootstrap(HttpClient httpClient, LambdaBootstrapHandler handler, LambdaBootstrapInitializer initializer = null)
        : this(httpClient, handler, initializer, null)
    {
    }

    private LambdaBootstrap(HttpClient httpClient, LambdaBootstrapHandler handler, LambdaBootstrapInitializer initializer, ILambdaSerializer serializer)
    {
        this.handler = handler ?? throw new ArgumentNullException(nameof(handler));
        this.initializer = initializer;
        this.serializer = serializer;
        this.ownsHttpClient = httpClient is null;

        // The runtime's client never times out a long poll: Lambda freezes the process between invocations.
        this.httpClient = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        this.Client = new RuntimeApiClient(this.httpClient);
    }

    public RuntimeApiClient Client { get; }

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (this.initializer is not null && !await this.InitializeAsync().ConfigureAwait(false))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start")
        {
            var registry = new RestoreHooksRegistry();
            global::Amazon.Lambda.Core.SnapshotRestore.CopyBeforeSnapshotCallbacksToRegistry(registry.RegisterBeforeSnapshot);
            global::Amazon.Lambda.Core.SnapshotRestore.CopyAfterRestoreCallbacksToRegistry(registry.RegisterAfterRestore);
            await registry.InvokeBeforeSnapshotCallbacks().ConfigureAwait(false);
            await registry.InvokeAfterRestoreCallbacks().ConfigureAwait(false);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await this.InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        if (this.ownsHttpClient)
        {
            this.httpClient.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The class-library mode sets the serializer [LambdaSerializer] named, once its initializer has found it.</summary>
    internal void SetSerializer(ILambdaSerializer serializer) => this.serializer = serializer;

    internal async Task<bool> InitializeAsync()
    {
        try
        {
            return await this.initializer().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await this.Client.ReportInitializationErrorAsync(exception).ConfigureAwait(false);
            throw;
        }
    }

    internal async Task InvokeOnceAsync(CancellationToken cancellationToken = default)
    {
        using var invocation = await this.Client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
        if (invocation.LambdaContext is LambdaContext context)
        {
            var traceId = context.RuntimeApiHeaders.TraceId;
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", traceId);
            LambdaTraceProvider.SetCurrentTraceId(traceId);
            context.Serializer = this.serializer;
        }

        InvocationResponse response;
        try
        {
            response = await this.handler(invocation).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await this.Client.ReportInvocationErrorAsync(invocation.LambdaContext.AwsRequestId, exception, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await this.Client.SendResponseAsync(invocation.LambdaContext.AwsRequestId, response?.OutputStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (response is { DisposeOutputStream: true })
            {
                response.OutputStream?.Dispose();
            }
        }
    }
}

public class LambdaBootstrapBuilder
{
    private readonly HandlerWrapper handlerWrapper;
    private HttpClient httpClient;
    private LambdaBootstrapInitializer initializer;

    private LambdaBootstrapBuilder(HandlerWrapper handlerWrapper)
    {
        this.handlerWrapper = handlerWrapper;
    }

    public static LambdaBootstrapBuilder Create(Func<Stream, ILambdaContext, Task<Stream>> handler) => new(HandlerWrapper.GetHandlerWrapper(handler));

    public static LambdaBootstrapBuilder Create(Func<Stream, ILambdaContext, Task> handler) => new(HandlerWrapper.GetHandlerWrapper(handler));

    public static LambdaBootstrapBuilder Create<TInput>(Func<TInput, ILambdaContext, Task> handler, ILambdaSerializer serializer) => new(HandlerWrapper.GetHandlerWrapper(handler, serializer));

    public static LambdaBootstrapBuilder Create<TOutput>(Func<Stream, ILambdaContext, Task<TOutput>> handler, ILambdaSerializer serializer) => new(HandlerWrapper.GetHandlerWrapper(handler, serializer));

    public static LambdaBootstrapBuilder Create<TInput, TOutput>(Func<TInput, ILambdaContext, Task<TOutput>> handler, ILambdaSerializer serializer) => new(HandlerWrapper.GetHandlerWrapper(handler, serializer));

    public LambdaBootstrapBuilder UseHttpClient(HttpClient httpClient)
    {
        this.httpClient = httpClient;
        return this;
    }

    public LambdaBootstrapBuilder UseBootstrapHandler(LambdaBootstrapInitializer lambdaBootstrapInitializer)
    {
        this.initializer = lambdaBootstrapInitializer;
        return this;
    }

    public LambdaBootstrap Build() =>
        this.httpClient is null ? new LambdaBootstrap(this.handlerWrapper, this.initializer) : new LambdaBootstrap(this.httpClient, this.handlerWrapper, this.initializer);
}
