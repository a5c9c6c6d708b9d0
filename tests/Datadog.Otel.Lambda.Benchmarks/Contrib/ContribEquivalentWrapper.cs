// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Web;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SNSEvents;
using Amazon.Lambda.SQSEvents;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks.Contrib;

/// <summary>
/// The per-invocation work of OpenTelemetry contrib's <c>AWSLambdaWrapper.TraceAsync</c>
/// (open-telemetry/opentelemetry-dotnet-contrib, src/OpenTelemetry.Instrumentation.AWSLambda: AWSLambdaWrapper.cs,
/// Implementation/AWSLambdaUtils.cs, AWSMessagingUtils.cs, AWSLambdaHttpUtils.cs, src/Shared/AWS/AWSSemanticConventions*.cs,
/// src/Shared/RedactionHelper.cs), reimplemented step by step because the package (and Amazon.Lambda.SQSEvents, which it
/// needs) is not in this repository's registry. A comparison baseline with the incumbent's costs, not its code. With its
/// defaults (semantic conventions 1.28, X-Ray extraction on, parent not set from a batch, query values redacted), per
/// invocation it:
/// <list type="number">
/// <item>extracts the parent from the typed event with the default propagator (W3C trace context and baggage): HTTP
/// headers through its case-insensitive getters, or every SQS record's message attributes (each becomes a link, in a list
/// allocated for every SQS event), falling back to an SNS notification deserialized from an SQS body that mentions
/// <c>MessageAttributes</c>; then, with no parent, the X-Ray header of <c>LambdaTraceProvider.CurrentTraceId</c>;</item>
/// <item>builds its function tags (a new <c>AWSLambdaUtils</c>, the attribute builder's list, the ARN split twice, the
/// memory limit boxed and turned into text to test it for emptiness) and, for HTTP events, its HTTP tags (scheme, path,
/// query string rebuilt and redacted, method, host and port);</item>
/// <item>starts one Server activity with both tag lists concatenated, awaits the handler, tags the status of an HTTP
/// response, stops the activity and calls <c>ForceFlush</c> on the provider.</item>
/// </list>
/// </summary>
internal static class ContribEquivalentWrapper
{
    private const string ActivitySourceName = "OpenTelemetry.Instrumentation.AWSLambda";

    private static readonly ActivitySource Source = new(ActivitySourceName, "1.28.0");

    // The SDK's default propagator (W3C trace context and baggage), which contrib reads through
    // Propagators.DefaultTextMapPropagator: in this process AddDatadogLambda replaced the global one.
    private static readonly TextMapPropagator DefaultPropagator = new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    private static readonly AttributeBuilder Attributes = new();

    private static bool isColdStart = true;

    public static string Name => ActivitySourceName;

    public static async Task<TResult> TraceAsync<TInput, TResult>(TracerProvider? tracerProvider, Func<TInput, ILambdaContext, Task<TResult>> handler, TInput input, ILambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(context);
        var activity = OnFunctionStart(input, context);
        try
        {
            var result = await handler(input, context).ConfigureAwait(false);
            SetHttpTagsFromResult(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            if (activity is { IsAllDataRequested: true })
            {
                activity.AddException(ex);
                activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            throw;
        }
        finally
        {
            activity?.Stop();
            tracerProvider?.ForceFlush();
        }
    }

    private static Activity? OnFunctionStart<TInput>(TInput input, ILambdaContext context)
    {
        var (parent, links) = ExtractParentContext(input);
        if (parent == default)
        {
            parent = XRayParentContext();
        }

        var functionTags = new FunctionTags().Get(input, context, isColdStart);
        isColdStart = false;
        var httpTags = HttpTags(input);
        var name = context.FunctionName ?? Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "AWS Lambda Invoke";
        return Source.StartActivity(name, ActivityKind.Server, parent, functionTags.Concat(httpTags)!, links);
    }

    private static (ActivityContext Parent, IEnumerable<ActivityLink>? Links) ExtractParentContext<TInput>(TInput input)
    {
        PropagationContext parent = default;
        IEnumerable<ActivityLink>? links = null;
        switch (input)
        {
            case APIGatewayProxyRequest rest:
                parent = DefaultPropagator.Extract(default, rest, RestHeaderValues);
                break;
            case APIGatewayHttpApiV2ProxyRequest httpApi:
                parent = DefaultPropagator.Extract(default, httpApi, HttpApiHeaderValues);
                break;
            case SQSEvent sqs:
                (parent, links) = FromSqsEvent(sqs);
                break;
            case SNSEvent sns:
                parent = FromSnsMessage(sns.Records?.LastOrDefault()?.Sns);
                break;
        }

        return (parent.ActivityContext, links);
    }

    private static (PropagationContext Parent, IEnumerable<ActivityLink>? Links) FromSqsEvent(SQSEvent sqs)
    {
        if (sqs.Records is null)
        {
            return (default, null);
        }

        // Without SetParentFromBatch no record is the parent; every record's context becomes a link.
        var links = new List<ActivityLink>();
        foreach (var record in sqs.Records)
        {
            var context = FromSqsMessage(record);
            if (context != default)
            {
                links.Add(new ActivityLink(context.ActivityContext));
            }
        }

        return (default, links);
    }

    private static PropagationContext FromSqsMessage(SQSEvent.SQSMessage message)
    {
        if (message?.MessageAttributes is null)
        {
            return default;
        }

        var parent = DefaultPropagator.Extract(default, message.MessageAttributes, SqsAttributeValues);
        if (parent == default)
        {
            // An SNS notification delivered without raw message delivery: deserialized from the body.
            parent = FromSnsMessage(SnsMessageInBody(message));
        }

        return parent;
    }

    private static PropagationContext FromSnsMessage(SNSEvent.SNSMessage? message) =>
        message?.MessageAttributes is not null ? DefaultPropagator.Extract(default, message.MessageAttributes, SnsAttributeValues) : default;

    private static SNSEvent.SNSMessage? SnsMessageInBody(SQSEvent.SQSMessage message)
    {
        var body = message.Body;
        if (body is null || !body.TrimStart().StartsWith('{') || !body.Contains("MessageAttributes", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, ContribJson.Default.SNSMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ActivityContext XRayParentContext()
    {
        var header = LambdaTraceProvider.CurrentTraceId;
        if (header is null)
        {
            return default;
        }

        // Contrib parses it with a new AWSXRayPropagator over a new dictionary (OpenTelemetry.Extensions.AWS, not in this
        // registry). The benchmarks set no X-Ray header, so this branch does not run there.
        var carrier = new Dictionary<string, string> { { "X-Amzn-Trace-Id", header } };
        return XRayHeader.Parse(carrier["X-Amzn-Trace-Id"]);
    }

    private static IEnumerable<string>? RestHeaderValues(APIGatewayProxyRequest request, string name)
    {
        if (request.MultiValueHeaders?.ValueIgnoringCase(name) is { } multi)
        {
            return multi;
        }

        var value = request.Headers?.ValueIgnoringCase(name);
        return value is not null ? new[] { value } : null;
    }

    private static IEnumerable<string>? HttpApiHeaderValues(APIGatewayHttpApiV2ProxyRequest request, string name) =>
        request.Headers?.ValueIgnoringCase(name)?.Split(',');

    private static IEnumerable<string>? SqsAttributeValues(IDictionary<string, SQSEvent.MessageAttribute> attributes, string name) =>
        !attributes.TryGetValue(name, out var attribute) ? null
        : attribute?.StringValue is not null ? new[] { attribute.StringValue }
        : attribute?.StringListValues;

    private static IEnumerable<string>? SnsAttributeValues(IDictionary<string, SNSEvent.MessageAttribute> attributes, string name) =>
        !attributes.TryGetValue(name, out var attribute) ? null
        : attribute?.Type switch
        {
            "String" when attribute.Value is not null => [attribute.Value],
            "String.Array" when attribute.Value is not null => attribute.Value.Split(','),
            _ => null,
        };

    private static IEnumerable<KeyValuePair<string, object>> HttpTags<TInput>(TInput input)
    {
        string? scheme;
        string? path;
        string? query;
        string? method;
        string? host;
        int? port;
        switch (input)
        {
            case APIGatewayProxyRequest rest:
                scheme = RestHeaderValues(rest, "x-forwarded-proto")?.LastOrDefault();
                path = rest.RequestContext?.Path ?? rest.Path ?? string.Empty;
                query = RestQuery(rest);
                method = rest.RequestContext?.HttpMethod ?? rest.HttpMethod;
                (host, port) = HostAndPort(scheme, RestHeaderValues(rest, "host")?.LastOrDefault());
                break;
            case APIGatewayHttpApiV2ProxyRequest httpApi:
                scheme = HttpApiHeaderValues(httpApi, "x-forwarded-proto")?.LastOrDefault();
                path = httpApi.RawPath ?? string.Empty;
                query = string.IsNullOrEmpty(httpApi.RawQueryString) ? string.Empty : "?" + httpApi.RawQueryString;
                method = httpApi.RequestContext?.Http?.Method;
                (host, port) = HostAndPort(scheme, HttpApiHeaderValues(httpApi, "host")?.LastOrDefault());
                break;
            default:
                return [];
        }

        var target = string.Concat(path, query);
        if (query is { Length: > 0 })
        {
            query = RedactQuery(query);
            target = string.Concat(path, query);
        }

        // Semantic conventions 1.28: http.scheme, http.target, http.method and net.host.* have no name there and are skipped.
        if (scheme is not null)
        {
            Attributes.Add(string.Empty, scheme, addIfEmpty: true);
            Attributes.Add("url.scheme", scheme, addIfEmpty: true);
        }

        Attributes.Add(string.Empty, target, addIfEmpty: true);
        Attributes.Add("url.path", path, addIfEmpty: true);
        if (query is not null)
        {
            Attributes.Add("url.query", query, addIfEmpty: true);
        }

        if (method is not null)
        {
            Attributes.Add(string.Empty, method, addIfEmpty: true);
            Attributes.Add("http.request.method", method, addIfEmpty: true);
        }

        if (host is not null)
        {
            Attributes.Add(string.Empty, host, addIfEmpty: true);
            Attributes.Add("server.address", host, addIfEmpty: true);
        }

        Attributes.Add(string.Empty, port);
        Attributes.Add("server.port", port);
        return Attributes.Build();
    }

    private static string RestQuery(APIGatewayProxyRequest request)
    {
        if (request.MultiValueQueryStringParameters is null)
        {
            return string.Empty;
        }

        var query = new StringBuilder();
        var separator = '?';
        foreach (var parameter in request.MultiValueQueryStringParameters)
        {
            foreach (var value in parameter.Value)
            {
                query.Append(separator).Append(HttpUtility.UrlEncode(parameter.Key)).Append('=').Append(HttpUtility.UrlEncode(value));
                separator = '&';
            }
        }

        return query.ToString();
    }

    /// <summary>RedactionHelper.GetRedactedQueryString: every value becomes <c>Redacted</c>.</summary>
    private static string RedactQuery(string query)
    {
        var index = query.IndexOf('=', StringComparison.Ordinal);
        if (index < 0)
        {
            return query;
        }

        var builder = new StringBuilder(2 * query.Length);
        builder.Append(query.AsSpan(0, index));
        while (index < query.Length)
        {
            if (query[index] == '=')
            {
                builder.Append('=').Append("Redacted");
                index++;
                while (index < query.Length && query[index] != '&')
                {
                    index++;
                }

                if (index < query.Length)
                {
                    builder.Append('&');
                }
            }
            else
            {
                builder.Append(query[index]);
            }

            index++;
        }

        return builder.ToString();
    }

    private static (string? Host, int? Port) HostAndPort(string? scheme, string? hostHeader)
    {
        if (hostHeader is null)
        {
            return (null, null);
        }

        var parts = hostHeader.Split([':'], 2);
        if (parts.Length > 1)
        {
            return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? (parts[0], port) : (parts[0], null);
        }

        return (parts[0], scheme == Uri.UriSchemeHttps ? 443 : scheme == Uri.UriSchemeHttp ? 80 : null);
    }

    private static void SetHttpTagsFromResult(Activity? activity, object? result)
    {
        if (activity is null || result is null)
        {
            return;
        }

        switch (result)
        {
            case APIGatewayProxyResponse response:
                activity.SetTag("http.response.status_code", response.StatusCode);
                activity.SetTag("http.response.status_code", response.StatusCode);
                break;
            case APIGatewayHttpApiV2ProxyResponse response:
                activity.SetTag("http.response.status_code", response.StatusCode);
                break;
        }
    }

    private static string? ValueIgnoringCase(this IDictionary<string, string> dictionary, string key)
    {
        foreach (var pair in dictionary)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static IList<string>? ValueIgnoringCase(this IDictionary<string, IList<string>> dictionary, string key)
    {
        foreach (var pair in dictionary)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary><c>AWSLambdaUtils.GetFunctionTags</c>: a new instance per invocation, as contrib creates one.</summary>
    private sealed class FunctionTags
    {
        public List<KeyValuePair<string, object>> Get<TInput>(TInput input, ILambdaContext context, bool coldStart)
        {
            var arn = context.InvokedFunctionArn;
            return Attributes
                .Add("faas.trigger", input is APIGatewayProxyRequest or APIGatewayHttpApiV2ProxyRequest ? "http" : "other")
                .Add("faas.coldstart", coldStart)
                .Add("faas.name", context.FunctionName ?? Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME"))
                .Add("faas.invocation_id", context.AwsRequestId)
                .Add("cloud.resource_id", FaasId(arn))
                .Add("faas.instance", context.LogStreamName ?? Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME"))
                .Add("faas.max_memory", (long?)context.MemoryLimitInMB * 1024L * 1024L)
                .Add("cloud.account.id", AccountId(arn))
                .Build();
        }

        private static string? AccountId(string? arn)
        {
            if (string.IsNullOrEmpty(arn))
            {
                return null;
            }

            var items = arn.Split(':');
            return items.Length >= 5 ? items[4] : null;
        }

        private static string? FaasId(string? arn)
        {
            if (string.IsNullOrEmpty(arn))
            {
                return null;
            }

            var items = arn.Split(':');
            return items.Length >= 8 ? string.Join(":", items.Take(7)) : arn;
        }
    }

    /// <summary>
    /// <c>AWSSemanticConventions.AttributeBuilderImpl</c>: one shared list that <see cref="Build"/> hands out and replaces with
    /// an empty one; a value is added when its name exists in the convention version and its text is not empty.
    /// </summary>
    private sealed class AttributeBuilder
    {
        private List<KeyValuePair<string, object>> state = new(16);

        public AttributeBuilder Add(string name, object? value, bool addIfEmpty = false)
        {
            if (string.IsNullOrEmpty(name) || (string.IsNullOrEmpty(value?.ToString()) && !addIfEmpty))
            {
                return this;
            }

            this.state.Add(new(name, value ?? string.Empty));
            return this;
        }

        public List<KeyValuePair<string, object>> Build()
        {
            var built = this.state;
            this.state = [];
            return built;
        }
    }

    /// <summary>The X-Ray header as AWSXRayPropagator reads it (Root and Parent; Sampled=1 sets the recorded flag).</summary>
    private static class XRayHeader
    {
        public static ActivityContext Parse(string header)
        {
            string? root = null;
            string? parent = null;
            var sampled = false;
            foreach (var part in header.Split(';'))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    continue;
                }

                var key = part[..equals].Trim();
                var value = part[(equals + 1)..].Trim();
                switch (key)
                {
                    case "Root":
                        root = value;
                        break;
                    case "Parent":
                        parent = value;
                        break;
                    case "Sampled":
                        sampled = value == "1";
                        break;
                }
            }

            if (root is not { Length: 35 } || parent is not { Length: 16 })
            {
                return default;
            }

            var traceId = ActivityTraceId.CreateFromString(string.Concat(root.AsSpan(2, 8), root.AsSpan(11, 24)));
            var spanId = ActivitySpanId.CreateFromString(parent);
            return new ActivityContext(traceId, spanId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
        }
    }
}

/// <summary>Contrib's SourceGenerationContext: the SNS message it reads from SQS bodies.</summary>
[JsonSerializable(typeof(SNSEvent.SNSMessage))]
internal sealed partial class ContribJson : JsonSerializerContext
{
}
