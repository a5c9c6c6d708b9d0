// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The trace context a Lambda authorizer left in <c>requestContext.authorizer._datadog</c> (REST, WebSocket) or
/// <c>requestContext.authorizer.lambda._datadog</c> (HTTP API): base64 JSON of its trace headers, the authorizer span's
/// finish time and the request id it authorized. API Gateway caches authorizations, so the context is only used when
/// this request really ran the authorizer (a positive <c>integrationLatency</c>, or the same request id); then, for REST
/// and WebSocket APIs, an <c>aws.apigateway.authorizer</c> span covers the authorization and the API Gateway span starts
/// where it ends (<c>DD_DECODE_AUTHORIZER_CONTEXT</c>).
/// </summary>
internal static class ApiGatewayAuthorizer
{
    public const string FinishTimeHeader = "x-datadog-parent-span-finish-time";
    public const string RequestIdHeader = "x-datadog-authorizing-requestid";

    // API Gateway gives an authorizer at most 30 s; a latency beyond an hour is not a measurement, and would overflow
    // the authorizer span's end time.
    private const double MaxLatencyMilliseconds = 3_600_000;

    public static void Apply(TriggerDescription trigger, LambdaSettings settings, JsonElement requestContext, bool httpApi)
    {
        if (!settings.DecodeAuthorizerContext || !requestContext.TryGetObject("authorizer", out var authorizer))
        {
            return;
        }

        var holder = authorizer;
        if (httpApi && !authorizer.TryGetObject("lambda", out holder))
        {
            return;
        }

        if (holder.GetString("_datadog") is not { } encoded || !TryDecode(trigger, encoded, out var headers))
        {
            return;
        }

        var latency = authorizer.TryGetDouble("integrationLatency", out var value) && double.IsFinite(value) ? Math.Clamp(value, 0, MaxLatencyMilliseconds) : 0;
        var requestId = requestContext.GetString("requestId");
        if (latency <= 0 && (requestId is null || !headers.StringEquals(RequestIdHeader, requestId)))
        {
            // A cached authorization: the authorizer's trace belongs to an earlier request.
            return;
        }

        trigger.AuthorizerHeaders = headers;
        var finish = EventTime.FromNanosecondsText(headers.GetScalarText(FinishTimeHeader));
        if (finish is null || trigger.InferredSpans.Count == 0)
        {
            return;
        }

        var api = trigger.InferredSpans[^1];
        if (httpApi)
        {
            api.Start = finish;
            return;
        }

        var requestTime = EventTime.FromEpochMilliseconds(requestContext, "requestTimeEpoch");
        var authorizerEnd = requestTime is { } requested && requested < DateTimeOffset.MaxValue.AddHours(-1) ? requested + TimeSpan.FromMilliseconds(latency) : finish.Value;
        if (authorizerEnd < finish.Value)
        {
            authorizerEnd = finish.Value;
        }

        var span = new InferredSpanSpec
        {
            OperationName = "aws.apigateway.authorizer",
            Service = api.Service,
            Resource = api.Resource,
            SpanType = api.SpanType,
            Start = finish,
            End = authorizerEnd,
            Synchronous = true,
        };
        // The API span's request facts, without the route: that belongs to the function's part of the request.
        foreach (var tag in api.Tags)
        {
            if (tag.Key != "http.route")
            {
                span.Tags.Add(tag);
            }
        }

        trigger.InferredSpans.Insert(trigger.InferredSpans.Count - 1, span);
        api.Start = authorizerEnd;
    }

    private static bool TryDecode(TriggerDescription trigger, string encoded, out JsonElement headers)
    {
        headers = default;
        if (encoded.Length > 16 * 1024)
        {
            return false;
        }

        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(encoded, bytes, out var length) && trigger.TryParseObject(bytes.AsMemory(0, length), out headers);
    }
}
