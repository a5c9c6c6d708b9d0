// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The headers of an HTTP event: <c>headers</c> when it has entries, else the first value of each
/// <c>multiValueHeaders</c> entry (API Gateway REST and ALB with multi-value headers). Names match case-insensitively, as
/// HTTP header names do. The maps are made once per invocation (<see cref="TriggerContext.FieldMap"/>).
/// </summary>
internal sealed class HttpEventHeaders
{
    private readonly int headers;
    private readonly int multiValueHeaders;

    public HttpEventHeaders(TriggerSchema schema)
    {
        this.headers = schema.Field("headers");
        this.multiValueHeaders = schema.Field("multiValueHeaders");
    }

    public string? Get(TriggerContext context, string name)
    {
        if (context.FieldMap(this.headers)?.FirstString(name) is { } value)
        {
            return value;
        }

        return context.FieldMap(this.multiValueHeaders)?.FirstOfArray(name);
    }

    /// <summary>The object that carries trace headers: <c>headers</c> if non-empty, else <c>multiValueHeaders</c>.</summary>
    public HeaderMap? Carrier(TriggerContext context)
    {
        if (context.FieldMap(this.headers) is { IsEmpty: false } map)
        {
            return map;
        }

        return context.FieldMap(this.multiValueHeaders);
    }

    /// <summary>
    /// The request's trace context: the authorizer's, when a Lambda authorizer passed one for this request, else the
    /// headers'.
    /// </summary>
    public void Extract(TriggerContext context, HeaderMap? authorizerHeaders)
    {
        if (!context.ExtractsFromEvent)
        {
            return;
        }

        if (authorizerHeaders is not null && context.Extractor.FromHeaderMap(authorizerHeaders, "authorizer") is { HasParent: true } fromAuthorizer)
        {
            context.Upstream = fromAuthorizer;
            return;
        }

        context.Upstream = this.Carrier(context) is { } carrier ? context.Extractor.FromHeaderMap(carrier, "http-headers") : null;
    }

    /// <summary>
    /// Request tags every HTTP trigger puts on <c>aws.lambda</c>: <c>http.referer</c> (any case, as Datadog's Python library
    /// reads it). A referring URL can carry a credential in its query (<c>?access_token=…</c>): its values go, the URL stays.
    /// The user agent goes on <c>aws.lambda</c> for ALB events only (Python); API Gateway's is on its inferred span.
    /// </summary>
    public void AddClientTags(TriggerContext context) =>
        context.Tag("http.referer", this.Get(context, "referer") is { } referer ? SecretText.Plain(referer, RedactionRules.Default, referer.Length) : null);

    /// <summary>Whether the header map's member named exactly <paramref name="name"/> is the string <paramref name="value"/>.</summary>
    public bool HeaderEquals(TriggerContext context, ReadOnlySpan<byte> name, string value) =>
        context.FieldMap(this.headers)?.StringEquals(name, value) == true;
}
