// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Lambda Function URL: it looks like an HTTP API v2 event; only its domain tells it apart
/// (<c>&lt;id&gt;.lambda-url.&lt;region&gt;.on.aws</c>). Tags on <c>aws.lambda</c>, the <c>aws.lambda.url</c> inferred span, and
/// the context of the request's headers.
/// </summary>
internal sealed class FunctionUrlSource : TriggerSource
{
    private HttpEventHeaders headers = null!;
    private int requestContext;
    private int domain;
    private int method;
    private int httpPath;
    private int rawPath;
    private int apiId;
    private int requestId;
    private int timeEpoch;
    private int routeKey;

    public FunctionUrlSource()
        : base(TriggerKind.FunctionUrl)
    {
    }

    public override string EventSource => "lambda-function-url";

    public override string FaasTrigger => "http";

    public override bool IsHttp => true;

    public override void Declare(TriggerSchema schema)
    {
        this.headers = new HttpEventHeaders(schema);
        this.requestContext = schema.Field("requestContext");
        this.domain = schema.Field("requestContext", "domainName");
        this.method = schema.Field("requestContext", "http", "method");
        this.httpPath = schema.Field("requestContext", "http", "path");
        this.rawPath = schema.Field("rawPath");
        this.apiId = schema.Field("requestContext", "apiId");
        this.requestId = schema.Field("requestContext", "requestId");
        this.timeEpoch = schema.Field("requestContext", "timeEpoch");
        this.routeKey = schema.Field("routeKey");
    }

    public override bool Matches(TriggerContext context) =>
        context.Root.IsObject(this.requestContext) && IsFunctionUrlDomain(context.Root.Raw(this.domain), context.Root.IsString(this.domain), context.Root.IsEscaped(this.domain));

    public override void Describe(TriggerContext context)
    {
        var root = context.Root;
        var function = context.Function;
        var host = root.String(this.domain);
        var requestMethod = root.String(this.method);
        var path = root.String(this.httpPath) ?? root.String(this.rawPath);
        var id = root.String(this.apiId);
        context.ApiRequestId = root.String(this.requestId);

        // Python's form (Node.js sets none): arn:aws:lambda:{region}:{account}:url:{function}[:{qualifier}].
        if (function.Region is not null && function.AccountId is not null)
        {
            context.EventSourceArn = "arn:" + (function.Partition ?? "aws") + ":lambda:" + function.Region + ":" + function.AccountId + ":url:" + function.FunctionName
                + (function.Qualifier is null ? string.Empty : ":" + function.Qualifier);
        }

        context.Tag("http.url", host is null ? null : "https://" + host + path);
        context.Tag("http.method", requestMethod);

        // Python's extract_http_tags: the last token of the top-level routeKey ($default for a function URL); Node.js sets none.
        context.Tag("http.route", ApiGatewayArns.LastToken(root.String(this.routeKey)));
        this.headers.AddClientTags(context);

        var tags = default(TagBuffer);
        tags.Add("http.url", host is null ? null : "https://" + host + path);
        tags.Add("endpoint", path);
        tags.Add("http.method", requestMethod);
        tags.Add("request_id", context.InvocationRequestId);
        context.AddSpan(new InferredSpanPlan
        {
            OperationName = "aws.lambda.url",
            Service = ServiceNames.Resolve(context.Settings, id, "lambda_url", host, context.Settings.ServiceName),
            Resource = requestMethod + " " + path,
            SpanType = "http",
            TagSpanKind = false,
            EventStart = EventTime.FromEpochMilliseconds(root, this.timeEpoch),
            Synchronous = true,
            Tags = tags.ToArray(),
        });
        this.headers.Extract(context, authorizerHeaders: null);
    }

    /// <summary>Whether a domain is a Function URL's: its second label is <c>lambda-url</c>.</summary>
    internal static bool IsFunctionUrlDomain(string domain)
    {
        var firstDot = domain.IndexOf('.', StringComparison.Ordinal);
        if (firstDot < 0)
        {
            return false;
        }

        var rest = domain.AsSpan(firstDot + 1);
        var secondDot = rest.IndexOf('.');
        var label = secondDot < 0 ? rest : rest[..secondDot];
        return label.SequenceEqual("lambda-url");
    }

    private static bool IsFunctionUrlDomain(ReadOnlySpan<byte> raw, bool isString, bool escaped)
    {
        if (!isString)
        {
            return false;
        }

        if (escaped)
        {
            return IsFunctionUrlDomain(Events.JsonText.GetString(raw, escaped: true));
        }

        var firstDot = raw.IndexOf((byte)'.');
        if (firstDot < 0)
        {
            return false;
        }

        var rest = raw[(firstDot + 1)..];
        var secondDot = rest.IndexOf((byte)'.');
        var label = secondDot < 0 ? rest : rest[..secondDot];
        return label.SequenceEqual("lambda-url"u8);
    }
}
