// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.AspNetCoreServer;
using Amazon.Lambda.Core;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

/// <summary>Class-based functions written as the README tells users to: one override each.</summary>
internal sealed class OrdersRestFunction(IServiceProvider services) : APIGatewayProxyFunction(services)
{
    public override Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
        DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
}

/// <inheritdoc cref="OrdersRestFunction"/>
internal sealed class OrdersHttpApiFunction(IServiceProvider services) : APIGatewayHttpApiV2ProxyFunction(services)
{
    public override Task<APIGatewayHttpApiV2ProxyResponse> FunctionHandlerAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext lambdaContext) =>
        DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
}
