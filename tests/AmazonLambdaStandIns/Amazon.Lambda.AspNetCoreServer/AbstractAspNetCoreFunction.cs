// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer/{AbstractAspNetCoreFunction,
// ResponseContentEncoding}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (10.1.1). Reproduced: the Items keys; the
// constructors (Startup-style, which builds and starts its own host on first use, and hosted-services style); the
// virtual FunctionHandlerAsync with [LambdaSerializer(typeof(DefaultLambdaJsonSerializer))], which the managed runtime
// uses to deserialize the request before the method runs; EnableResponseStreaming marked [RequiresPreviewFeatures]; an
// unhandled exception in the pipeline answered with 500. Not reproduced: response streaming, binary content encodings,
// the Post* marshalling hooks, SnapStart warm-up requests.
using System.Runtime.Versioning;
using Amazon.Lambda.AspNetCoreServer.Internal;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Amazon.Lambda.AspNetCoreServer;

public enum ResponseContentEncoding
{
    Default = 0,
    Base64,
}

public enum StartupMode
{
    Constructor,
    FirstRequest,
}

public abstract class AbstractAspNetCoreFunction
{
    public const string LAMBDA_CONTEXT = "LambdaContext";

    public const string LAMBDA_REQUEST_OBJECT = "LambdaRequestObject";

    internal const string ParameterizedPreviewMessage =
        "Response streaming is in preview till a new version of .NET Lambda runtime client that supports response streaming " +
        "has been deployed to the .NET Lambda managed runtime.";
}

public abstract class AbstractAspNetCoreFunction<TREQUEST, TRESPONSE> : AbstractAspNetCoreFunction
{
    private IServiceProvider hostServices;

    protected AbstractAspNetCoreFunction()
        : this(StartupMode.Constructor)
    {
    }

    protected AbstractAspNetCoreFunction(StartupMode startupMode)
    {
        if (startupMode == StartupMode.Constructor)
        {
            this.Start();
        }
    }

    protected AbstractAspNetCoreFunction(IServiceProvider hostedServices)
    {
        this.hostServices = hostedServices;
    }

    public ResponseContentEncoding DefaultResponseContentEncoding { get; set; } = ResponseContentEncoding.Default;

    public bool IncludeUnhandledExceptionDetailInResponse { get; set; }

    [RequiresPreviewFeatures(ParameterizedPreviewMessage)]
    public virtual bool EnableResponseStreaming { get; set; }

    protected bool IsStarted => this.hostServices is not null;

    public void RegisterResponseContentEncodingForContentType(string contentType, ResponseContentEncoding encoding)
    {
    }

    public void RegisterResponseContentEncodingForContentEncoding(string contentEncoding, ResponseContentEncoding encoding)
    {
    }

    [LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]
    public virtual async Task<TRESPONSE> FunctionHandlerAsync(TREQUEST request, ILambdaContext lambdaContext)
    {
        if (!this.IsStarted)
        {
            this.Start();
        }

#pragma warning disable CA2252 // As the real package: the streaming path is a preview feature.
        if (this.EnableResponseStreaming)
        {
            throw new NotSupportedException("Response streaming is not reproduced by this stand-in.");
        }
#pragma warning restore CA2252

        var server = this.hostServices.GetRequiredService<IServer>() switch
        {
            LambdaServer lambda => lambda.TestServer,
            Microsoft.AspNetCore.TestHost.TestServer test => test,
            var other => throw new InvalidOperationException("Failed to find the Lambda implementation for the IServer interface; found " + other.GetType()),
        };
        return await this.ProcessAsync(server, request, lambdaContext).ConfigureAwait(false);
    }

    protected virtual void Init(IWebHostBuilder builder)
    {
    }

    protected virtual IHostBuilder CreateHostBuilder() =>
        new HostBuilder().ConfigureWebHost(web =>
        {
            this.Init(web);
            web.UseLambdaServer();
        });

    protected void Start()
    {
        var host = this.CreateHostBuilder().Build();
        host.Start();
        this.hostServices = host.Services;
    }

    private protected abstract Task<TRESPONSE> ProcessAsync(Microsoft.AspNetCore.TestHost.TestServer server, TREQUEST request, ILambdaContext lambdaContext);
}
