// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Added to your project by the Datadog.Otel.Lambda.AspNetCoreServer package and compiled there, next to
// Amazon.Lambda.AspNetCoreServer, which the package cannot reference. DatadogAspNetCoreLambdaHosting.cs, added beside
// it, serves minimal APIs (Amazon.Lambda.AspNetCoreServer.Hosting); this file needs only what AspNetCoreServer brings.
//
// One trace per request: aws.apigateway (or aws.httpapi, aws.lambda.url, aws.alb) -> aws.lambda -> the ASP.NET Core
// request span -> your HttpClient and AWS SDK spans. The event is traced first; then the trace headers of the request
// ASP.NET Core sees are pointed at aws.lambda, so ASP.NET Core and its OpenTelemetry instrumentation continue the
// invocation's trace instead of starting a sibling of it from the upstream headers.
//
// Class-based (APIGatewayProxyFunction, APIGatewayHttpApiV2ProxyFunction, ApplicationLoadBalancerFunction): override
// the handler; the function's Lambda handler setting and serializer do not change:
//     public override Task<APIGatewayProxyResponse> FunctionHandlerAsync(APIGatewayProxyRequest request, ILambdaContext lambdaContext) =>
//         DatadogAspNetCoreLambda.TraceAsync(request, lambdaContext, base.FunctionHandlerAsync);
//
// The runtime has already deserialized the request with the function's serializer when the override runs. Tracing
// reads the trigger from the event's JSON, so the request is written back once with Lambda's own event names
// (httpMethod, requestContext, headers: camelCase, through the source-generated context below), whatever serializer the
// function uses: DefaultLambdaJsonSerializer and SourceGeneratorLambdaJsonSerializer write these request types in
// PascalCase, in which no trigger can be recognized.
//
// Checked against Amazon.Lambda.AspNetCoreServer 10.1.1, Amazon.Lambda.APIGatewayEvents 3.0.0,
// Amazon.Lambda.ApplicationLoadBalancerEvents 3.0.0 and Amazon.Lambda.Core 3.2.0 (docs/aspnetcore.md, "Versions").
#nullable enable

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.Core;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda;

/// <summary>Traces ASP.NET Core Lambda invocations: the trigger's inferred span, <c>aws.lambda</c>, then the request pipeline.</summary>
internal static partial class DatadogAspNetCoreLambda
{
    private static int reported;

    /// <summary>Traces a REST API (or WebSocket) request handled by <c>APIGatewayProxyFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request, as the runtime deserialized it.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<APIGatewayProxyResponse> TraceAsync(APIGatewayProxyRequest request, ILambdaContext context, Func<APIGatewayProxyRequest, ILambdaContext, Task<APIGatewayProxyResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, handler, static r => (r.Headers, r.MultiValueHeaders), DatadogRestApiJson.Default.APIGatewayProxyRequest, DatadogRestApiJson.Default.APIGatewayProxyResponse);

    /// <summary>Traces an HTTP API (payload v2) or Function URL request handled by <c>APIGatewayHttpApiV2ProxyFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request, as the runtime deserialized it.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<APIGatewayHttpApiV2ProxyResponse> TraceAsync(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context, Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, handler, static r => (r.Headers, null), DatadogHttpApiJson.Default.APIGatewayHttpApiV2ProxyRequest, DatadogHttpApiJson.Default.APIGatewayHttpApiV2ProxyResponse);

    /// <summary>Traces an Application Load Balancer request handled by <c>ApplicationLoadBalancerFunction.FunctionHandlerAsync</c>.</summary>
    /// <param name="request">The request, as the runtime deserialized it.</param>
    /// <param name="context">The Lambda context.</param>
    /// <param name="handler">Usually <c>base.FunctionHandlerAsync</c>.</param>
    /// <param name="tracing">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only one.</param>
    /// <returns>The handler's response, unchanged.</returns>
    public static Task<ApplicationLoadBalancerResponse> TraceAsync(ApplicationLoadBalancerRequest request, ILambdaContext context, Func<ApplicationLoadBalancerRequest, ILambdaContext, Task<ApplicationLoadBalancerResponse>> handler, TracerProvider? tracing = null) =>
        TraceTypedAsync(tracing, request, context, handler, static r => (r.Headers, r.MultiValueHeaders), DatadogApplicationLoadBalancerJson.Default.ApplicationLoadBalancerRequest, DatadogApplicationLoadBalancerJson.Default.ApplicationLoadBalancerResponse);

    private static async Task<TResponse> TraceTypedAsync<TRequest, TResponse>(
        TracerProvider? tracing,
        TRequest request,
        ILambdaContext context,
        Func<TRequest, ILambdaContext, Task<TResponse>> handler,
        Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestJson,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseJson)
    {
        // Tracing reads the trigger from the event's JSON, which the runtime has already deserialized: write it back once,
        // with Lambda's own names.
        byte[] input;
        try
        {
            input = JsonSerializer.SerializeToUtf8Bytes(request, requestJson);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync("Datadog.Otel.Lambda: the request could not be read for tracing; the invocation runs untraced: " + ex.GetType().Name).ConfigureAwait(false);
            return await handler(request, context).ConfigureAwait(false);
        }

        var response = default(TResponse)!;
        // A stream over the buffer that exposes it: tracing reads the bytes where they are.
        using var stream = new MemoryStream(input, 0, input.Length, writable: false, publiclyVisible: true);
        await DatadogLambda.TraceAsync(tracing, stream, context.ToDatadog(), async (_, _) =>
        {
            PointHeadersAtInvocation(request, headers);
            response = await handler(request, context).ConfigureAwait(false);
            return StatusSource(response, responseJson);
        }).ConfigureAwait(false);
        return response;
    }

    private static void PointHeadersAtInvocation<TRequest>(TRequest request, Func<TRequest, (IDictionary<string, string>? Headers, IDictionary<string, IList<string>>? MultiValueHeaders)> headers)
    {
        if (request is null)
        {
            return;
        }

        var (single, multi) = headers(request);
        ReplaceTraceHeaders(single, multi);
    }

    /// <summary>
    /// Points the request's trace headers at the current span (<c>aws.lambda</c>): removes every trace header of every
    /// style, matched case-insensitively (<c>X-Amzn-Trace-Id</c> is left alone), and writes the current context in the
    /// configured styles. ASP.NET Core then continues the invocation's trace instead of starting a sibling of it from the
    /// upstream headers. Runs inside the handler: a header map that cannot be changed is left alone, with one line on
    /// stderr, and never fails the request.
    /// </summary>
    /// <param name="headers">The request's single-value headers, or <see langword="null"/>.</param>
    /// <param name="multiValueHeaders">The request's multi-value headers, or <see langword="null"/>.</param>
    internal static void ReplaceTraceHeaders(IDictionary<string, string>? headers, IDictionary<string, IList<string>>? multiValueHeaders)
    {
        if (System.Diagnostics.Activity.Current is null)
        {
            // Untraced (DD_TRACE_ENABLED=false, or no AddDatadogLambda provider): no aws.lambda to point the request at,
            // and the application keeps the headers it was sent.
            return;
        }

        try
        {
            if (headers is { IsReadOnly: false })
            {
                RemoveTraceHeaders(headers);
                DatadogPropagation.InjectTraceContext(headers, static (carrier, name, value) => carrier[name] = value);
            }

            if (multiValueHeaders is { IsReadOnly: false })
            {
                RemoveTraceHeaders(multiValueHeaders);
                DatadogPropagation.InjectTraceContext(multiValueHeaders, static (carrier, name, value) => carrier[name] = new List<string> { value });
            }

            if (headers is { IsReadOnly: true } || multiValueHeaders is { IsReadOnly: true })
            {
                ReportOnce("the request's header map is read-only; ASP.NET Core may continue the upstream trace instead of aws.lambda");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ReportOnce("the request's trace headers could not be pointed at aws.lambda: " + ex.GetType().Name);
        }
    }

    private static void RemoveTraceHeaders<TValue>(IDictionary<string, TValue> headers)
    {
        List<string>? remove = null;
        foreach (var name in headers.Keys)
        {
            if (IsTraceHeader(name))
            {
                (remove ??= new List<string>()).Add(name);
            }
        }

        if (remove is null)
        {
            return;
        }

        foreach (var name in remove)
        {
            headers.Remove(name);
        }
    }

    /// <summary>The headers of every propagation style (Datadog, W3C trace context and baggage, B3 single and multi).</summary>
    private static bool IsTraceHeader(string name) =>
        name.StartsWith("x-datadog-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-b3-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("b3", StringComparison.OrdinalIgnoreCase)
        || name.Equals("traceparent", StringComparison.OrdinalIgnoreCase)
        || name.Equals("tracestate", StringComparison.OrdinalIgnoreCase)
        || name.Equals("baggage", StringComparison.OrdinalIgnoreCase);

    private static void ReportOnce(string message)
    {
        if (System.Threading.Interlocked.Exchange(ref reported, 1) == 0)
        {
            Console.Error.WriteLine("Datadog.Otel.Lambda: " + message);
        }
    }

    /// <summary>
    /// The response as Lambda will receive it, for the wrapper to read the status code (and payload, when captured) from:
    /// a stream over the serialized response, as the hosting server hands it over too.
    /// </summary>
    private static Stream StatusSource<TResponse>(TResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseJson)
    {
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(response, responseJson);
            return new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Tracing reports what it can; the response itself goes back unchanged.
            return Stream.Null;
        }
    }
}

/// <summary>
/// REST API (and WebSocket) requests and responses in the JSON of Lambda's events: camelCase names (the request types
/// have no JSON names of their own), nulls left out. Generated in your project, so no reflection is involved (Native AOT,
/// trimming). One context per event family: their nested types share names (ProxyRequestContext, ...), which one
/// context cannot hold (SYSLIB1031).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(DatadogLambdaEventValueConverter)])]
[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
internal sealed partial class DatadogRestApiJson : JsonSerializerContext;

/// <summary>HTTP API (payload v2) and Function URL requests and responses in the JSON of Lambda's events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(DatadogLambdaEventValueConverter)])]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class DatadogHttpApiJson : JsonSerializerContext;

/// <summary>Application Load Balancer requests and responses in the JSON of Lambda's events.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApplicationLoadBalancerRequest))]
[JsonSerializable(typeof(ApplicationLoadBalancerResponse))]
internal sealed partial class DatadogApplicationLoadBalancerJson : JsonSerializerContext;

/// <summary>
/// Writes the untyped values of authorizer contexts (<c>requestContext.authorizer</c>, <c>authorizer.lambda</c>) as JSON,
/// whatever the function's serializer read them into: <see cref="JsonElement"/> (System.Text.Json), strings, numbers,
/// booleans; anything else as its string form.
/// </summary>
internal sealed class DatadogLambdaEventValueConverter : JsonConverter<object>
{
    public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
