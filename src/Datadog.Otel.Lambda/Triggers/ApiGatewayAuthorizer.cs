// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The trace context a Lambda authorizer left in <c>requestContext.authorizer._datadog</c> (REST, WebSocket) or
/// <c>requestContext.authorizer.lambda._datadog</c> (HTTP API): base64 JSON of its trace headers, the authorizer span's
/// finish time and the request id it authorized. API Gateway caches authorizations, so the context is only used when
/// this request really ran the authorizer (a positive <c>integrationLatency</c>, or the same request id); then, for REST
/// and WebSocket APIs, an <c>aws.apigateway.authorizer</c> span covers the authorization and the API Gateway span starts
/// where it ends (<c>DD_DECODE_AUTHORIZER_CONTEXT</c>).
/// </summary>
internal sealed class ApiGatewayAuthorizer
{
    public const string FinishTimeHeader = "x-datadog-parent-span-finish-time";
    public const string RequestIdHeader = "x-datadog-authorizing-requestid";

    // API Gateway gives an authorizer at most 30 s; a latency beyond an hour is not a measurement, and would overflow
    // the authorizer span's end time.
    private const double MaxLatencyMilliseconds = 3_600_000;

    private const int MaxEncodedChars = 16 * 1024;

    private readonly int authorizer;
    private readonly int encoded;
    private readonly int lambda;
    private readonly int lambdaEncoded;
    private readonly int latency;
    private readonly int requestId;
    private readonly int requestTimeEpoch;

    public ApiGatewayAuthorizer(TriggerSchema schema)
    {
        this.authorizer = schema.Field("requestContext", "authorizer");
        this.encoded = schema.Field("requestContext", "authorizer", "_datadog");
        this.lambda = schema.Field("requestContext", "authorizer", "lambda");
        this.lambdaEncoded = schema.Field("requestContext", "authorizer", "lambda", "_datadog");
        this.latency = schema.Field("requestContext", "authorizer", "integrationLatency");
        this.requestId = schema.Field("requestContext", "requestId");
        this.requestTimeEpoch = schema.Field("requestContext", "requestTimeEpoch");
    }

    /// <summary>
    /// Reads the authorizer's context for the API span about to be added (<paramref name="api"/>'s facts, its tags in
    /// <paramref name="apiTags"/>). For REST and WebSocket APIs whose authorizer ran for this request, adds the authorizer
    /// span (before the API span) and moves the API span's start to where the authorization ended; for HTTP APIs, to the
    /// authorizer's finish. Returns the authorizer's trace headers, which carry the request's context; null when there
    /// are none or they belong to a cached authorization.
    /// </summary>
    public HeaderMap? Apply(TriggerContext context, ApiSpanFacts api, ReadOnlySpan<KeyValuePair<string, object?>> apiTags, bool httpApi, ref DateTimeOffset? apiStart)
    {
        var root = context.Root;
        if (!context.Settings.DecodeAuthorizerContext || !root.IsObject(this.authorizer))
        {
            return null;
        }

        var field = this.encoded;
        if (httpApi)
        {
            if (!root.IsObject(this.lambda))
            {
                return null;
            }

            field = this.lambdaEncoded;
        }

        if (!root.IsString(field) || !TryDecode(context, root, field, out var headers))
        {
            return null;
        }

        var latencyMs = root.TryGetDouble(this.latency, out var value) && double.IsFinite(value) ? Math.Clamp(value, 0, MaxLatencyMilliseconds) : 0;
        var apiRequestId = root.String(this.requestId);
        if (latencyMs <= 0 && (apiRequestId is null || !headers.StringEquals("x-datadog-authorizing-requestid"u8, apiRequestId)))
        {
            // A cached authorization: the authorizer's trace belongs to an earlier request.
            return null;
        }

        var finish = EventTime.FromNanosecondsText(headers.ScalarText("x-datadog-parent-span-finish-time"u8));
        if (finish is null)
        {
            return headers;
        }

        if (httpApi)
        {
            apiStart = finish;
            return headers;
        }

        var requestTime = EventTime.FromEpochMilliseconds(root, this.requestTimeEpoch);
        var authorizerEnd = requestTime is { } requested && requested < DateTimeOffset.MaxValue.AddHours(-1) ? requested + TimeSpan.FromMilliseconds(latencyMs) : finish.Value;
        if (authorizerEnd < finish.Value)
        {
            authorizerEnd = finish.Value;
        }

        // The API span's request facts, without the route: that belongs to the function's part of the request.
        var tags = new Internal.TagBuffer();
        foreach (var tag in apiTags)
        {
            if (tag.Key != "http.route")
            {
                tags.Add(tag.Key, tag.Value);
            }
        }

        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.apigateway.authorizer",
            InferredMetric = false,
            Service = api.Service,
            Resource = api.Resource,
            SpanType = api.SpanType,
            EventStart = finish,
            EventEnd = authorizerEnd,
            Synchronous = true,
            Tags = tags.ToArray(),
        });
        apiStart = authorizerEnd;
        return headers;
    }

    private static bool TryDecode(TriggerContext context, in EventView root, int field, out HeaderMap headers)
    {
        headers = null!;
        if (!EmbeddedJson.TryDecodeBase64(context, root, field, MaxEncodedChars, out var bytes))
        {
            return false;
        }

        headers = EmbeddedJson.ObjectMap(context, bytes, EmbeddedJson.MaxObjectChars)!;
        return headers is not null;
    }
}

/// <summary>What an authorizer span takes from the API span it precedes.</summary>
internal readonly record struct ApiSpanFacts(string Service, string Resource, string SpanType);
