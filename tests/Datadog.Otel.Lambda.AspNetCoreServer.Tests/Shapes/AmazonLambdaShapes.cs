// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Test-only types with the public names and members of Amazon.Lambda.Core, .APIGatewayEvents,
// .ApplicationLoadBalancerEvents and .RuntimeSupport that the shipped source files use.
#pragma warning disable SA1402, SA1649, CA1716, CA1711, CA2227, CA1002, CA1034, CA1720
namespace Amazon.Lambda.Core
{
    public interface ILambdaContext
    {
        string AwsRequestId { get; }

        IClientContext ClientContext { get; }

        string FunctionName { get; }

        string FunctionVersion { get; }

        string InvokedFunctionArn { get; }

        string LogGroupName { get; }

        string LogStreamName { get; }

        int MemoryLimitInMB { get; }

        TimeSpan RemainingTime { get; }
    }

    public interface IClientContext
    {
        IDictionary<string, string> Environment { get; }

        IDictionary<string, string> Custom { get; }
    }

    public interface ILambdaSerializer
    {
        T Deserialize<T>(Stream requestStream);

        void Serialize<T>(T response, Stream responseStream);
    }

    public static class LambdaTraceProvider
    {
        public static string CurrentTraceId => null!;
    }
}

namespace Amazon.Lambda.APIGatewayEvents
{
    public class APIGatewayProxyRequest
    {
        public string? Resource { get; set; }

        public string? Path { get; set; }

        public string? HttpMethod { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public IDictionary<string, IList<string>>? MultiValueHeaders { get; set; }

        public IDictionary<string, string>? QueryStringParameters { get; set; }

        public IDictionary<string, string>? PathParameters { get; set; }

        public ProxyRequestContext? RequestContext { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }

        public class ProxyRequestContext
        {
            public string? Path { get; set; }

            public string? AccountId { get; set; }

            public string? ResourceId { get; set; }

            public string? Stage { get; set; }

            public string? RequestId { get; set; }

            public RequestIdentity? Identity { get; set; }

            public string? ResourcePath { get; set; }

            public string? HttpMethod { get; set; }

            public string? ApiId { get; set; }

            public string? ConnectionId { get; set; }

            public string? DomainName { get; set; }

            public string? EventType { get; set; }

            public string? RouteKey { get; set; }

            public Dictionary<string, object>? Authorizer { get; set; }

            public string? MessageDirection { get; set; }

            public string? RequestTime { get; set; }

            public long RequestTimeEpoch { get; set; }
        }

        public class RequestIdentity
        {
            public string? SourceIp { get; set; }

            public string? UserAgent { get; set; }
        }
    }

    public class APIGatewayProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }
    }

    public class APIGatewayHttpApiV2ProxyRequest
    {
        public string? Version { get; set; }

        public string? RouteKey { get; set; }

        public string? RawPath { get; set; }

        public string? RawQueryString { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public ProxyRequestContext? RequestContext { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }

        public class ProxyRequestContext
        {
            public string? AccountId { get; set; }

            public string? ApiId { get; set; }

            public string? DomainName { get; set; }

            public string? DomainPrefix { get; set; }

            public HttpDescription? Http { get; set; }

            public string? RequestId { get; set; }

            public string? RouteKey { get; set; }

            public string? Stage { get; set; }

            public string? Time { get; set; }

            public long TimeEpoch { get; set; }
        }

        public class HttpDescription
        {
            public string? Method { get; set; }

            public string? Path { get; set; }

            public string? Protocol { get; set; }

            public string? SourceIp { get; set; }

            public string? UserAgent { get; set; }
        }
    }

    public class APIGatewayHttpApiV2ProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }
    }
}

namespace Amazon.Lambda.ApplicationLoadBalancerEvents
{
    public class ApplicationLoadBalancerRequest
    {
        public ALBRequestContext? RequestContext { get; set; }

        public string? Path { get; set; }

        public string? HttpMethod { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public IDictionary<string, IList<string>>? MultiValueHeaders { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }

        public class ALBRequestContext
        {
            public ElbInfo? Elb { get; set; }
        }

        public class ElbInfo
        {
            public string? TargetGroupArn { get; set; }
        }
    }

    public class ApplicationLoadBalancerResponse
    {
        public int StatusCode { get; set; }

        public string? StatusDescription { get; set; }

        public IDictionary<string, string>? Headers { get; set; }

        public string? Body { get; set; }

        public bool IsBase64Encoded { get; set; }
    }
}

namespace Amazon.Lambda.RuntimeSupport
{
    using Amazon.Lambda.Core;

    public sealed class HandlerWrapper
    {
        private HandlerWrapper(Func<Stream, ILambdaContext, Task<Stream>> handler) => this.Handler = handler;

        /// <summary>Gets the handler (test-only: the real class hands it to the runtime client).</summary>
        public Func<Stream, ILambdaContext, Task<Stream>> Handler { get; }

        public static HandlerWrapper GetHandlerWrapper(Func<Stream, ILambdaContext, Task<Stream>> handler) => new(handler);

        public static HandlerWrapper GetHandlerWrapper<TInput, TOutput>(Func<TInput, ILambdaContext, Task<TOutput>> handler, ILambdaSerializer serializer) =>
            new(async (input, context) =>
            {
                var output = new MemoryStream();
                serializer.Serialize(await handler(serializer.Deserialize<TInput>(input), context), output);
                output.Position = 0;
                return output;
            });
    }
}
