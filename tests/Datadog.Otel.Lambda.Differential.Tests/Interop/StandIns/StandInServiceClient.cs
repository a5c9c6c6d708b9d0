// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Transform;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;

/// <summary>
/// A service client for an AWS service whose AWSSDK package is not in this registry (SNS, EventBridge, Kinesis), built on
/// AWSSDK.Core's real client and runtime pipeline exactly as the generated clients are: the same pipeline handlers
/// (credentials, marshaller, endpoint and auth-scheme resolution, SigV4 signing, retries, HTTP, unmarshaller), the same
/// telemetry (the SDK's client span, which this library's instrumentation turns into its <c>{Service}.{Operation}</c>
/// span) and the same pipeline customizers (this library's injection runs on the marshalled request). Only the
/// service-specific parts are written here: the requests and their marshalling (<see cref="StandInRequest"/>, in the
/// shape aws-sdk-net's generated marshallers produce), a fixed endpoint (the emulator's URL, which is what the
/// generated endpoint resolvers give for a <c>ServiceURL</c>), SigV4 (every operation used here is SigV4 in the service
/// models) and a response unmarshaller that keeps the body for the test to read.
/// </summary>
internal abstract class StandInServiceClient : AmazonServiceClient
{
    private static readonly BasicAWSCredentials Credentials = new("test", "test");

    private readonly ResponseUnmarshaller unmarshaller;

    protected StandInServiceClient(StandInClientConfig config, ResponseUnmarshaller unmarshaller)
        : base(Credentials, config)
    {
        this.unmarshaller = unmarshaller;
    }

    /// <summary>Sends the request through the SDK's pipeline and returns the service's answer.</summary>
    public Task<StandInResponse> SendAsync(StandInRequest request, CancellationToken cancellationToken = default)
    {
        var options = new InvokeOptions { RequestMarshaller = new StandInMarshaller(request.ServiceName), ResponseUnmarshaller = this.unmarshaller };
        return this.InvokeAsync<StandInResponse>(request, options, cancellationToken);
    }

    /// <summary>As the generated clients do: their own endpoint resolver and auth-scheme handler right after the marshaller.</summary>
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new FixedEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthSchemeHandler());
    }

    /// <summary>The generated marshallers' first step (a request named for the service), then the request's own fields.</summary>
    private sealed class StandInMarshaller(string serviceName) : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var request = new DefaultRequest(input, serviceName);
            ((StandInRequest)input).Marshall(request);
            return request;
        }
    }

    /// <summary>The endpoint is the configured <c>ServiceURL</c> (the config's endpoint provider returns it).</summary>
    private sealed class FixedEndpointResolver : BaseEndpointResolver
    {
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext) => new();
    }

    private sealed class SigV4AuthSchemeHandler : BaseAuthResolverHandler
    {
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
    }
}
