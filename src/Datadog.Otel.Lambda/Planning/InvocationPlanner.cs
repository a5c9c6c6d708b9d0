// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Planning;

/// <summary>
/// Computes an invocation's plan from the event's bytes, the Lambda context and the settings: one forward pass over the
/// event (<see cref="EventReader"/> with the registry's schema), the source that recognises it describes its part, the
/// upstream context is found in Datadog's order (a custom extractor if configured, which replaces the event's carrier;
/// otherwise the carrier, then a direct invocation's client context, with the other records of a batch as links; finally
/// the X-Ray header, <see cref="XRayContext"/>). A document of the whole event is made only when the user's extractor or
/// payload capture needs one. One per provider, built from its settings once; safe for concurrent invocations.
/// </summary>
internal sealed class InvocationPlanner
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip };

    private readonly LambdaSettings settings;
    private readonly ContextExtractor extractor;
    private readonly Func<JsonElement, DatadogLambdaContext, ActivityContext?>? customExtractor;
    private readonly Func<string?> processXRayHeader;
    private readonly bool sendsXRayMetadata;
    private readonly TriggerRegistry registry;
    private FunctionInfo? functionA;
    private FunctionInfo? functionB;

    /// <param name="settings">The provider's settings.</param>
    /// <param name="propagator">The configured propagation styles.</param>
    /// <param name="customExtractor">The user's extractor (<see cref="DatadogLambdaOptions.TraceExtractor"/>).</param>
    /// <param name="processXRayHeader">
    /// The process's X-Ray header (<c>_X_AMZN_TRACE_ID</c>), read only for an invocation whose context has none and only
    /// when X-Ray merging or metadata needs it: Lambda sets it per invocation, so it is not a setting.
    /// </param>
    /// <param name="sendsXRayMetadata">Whether X-Ray metadata subsegments are sent (<c>AWS_XRAY_DAEMON_ADDRESS</c>).</param>
    /// <param name="registry">The sources (the default registry unless a test gives its own).</param>
    public InvocationPlanner(LambdaSettings settings, DatadogCompositePropagator propagator, Func<JsonElement, DatadogLambdaContext, ActivityContext?>? customExtractor, Func<string?> processXRayHeader, bool sendsXRayMetadata, TriggerRegistry? registry = null)
    {
        this.settings = settings;
        this.extractor = new ContextExtractor(propagator);
        this.customExtractor = customExtractor;
        this.processXRayHeader = processXRayHeader;
        this.sendsXRayMetadata = sendsXRayMetadata;
        this.registry = registry ?? TriggerRegistry.Default;
    }

    public ContextExtractor Extractor => this.extractor;

    /// <summary>The plan of one invocation. <paramref name="json"/> is the event without a byte-order mark; empty when there is none.</summary>
    public InvocationPlan Plan(ReadOnlyMemory<byte> json, DatadogLambdaContext context, ColdStartState coldStart, DateTimeOffset initTime, DateTimeOffset start)
    {
        var settings = this.settings;
        var functionName = context.FunctionName ?? settings.FunctionName ?? FunctionNameFromArn(context.InvokedFunctionArn) ?? "unknown";
        var function = this.GetFunctionInfo(context.InvokedFunctionArn, functionName);
        var fields = EventFields.Rent(this.registry.Schema.Root, json);
        var trigger = TriggerContext.Rent(this.registry, fields, settings, function, context.AwsRequestId, this.extractor, extractsFromEvent: this.customExtractor is null);
        JsonDocument? document = null;
        try
        {
            var parsed = this.Read(json, fields);
            var source = parsed ? this.registry.Detect(trigger) : this.registry.Unknown;
            source.Describe(trigger);

            if (parsed && (this.customExtractor is not null || settings.PayloadCapture.Enabled))
            {
                document = ParseDocument(json);
            }

            var found = this.customExtractor is not null
                ? ContextExtractor.FromCustomExtractor(this.customExtractor, document?.RootElement ?? default, context)
                : trigger.Upstream ?? this.extractor.FromClientContext(context);
            if (this.customExtractor is null && source.LinksBatchRecords)
            {
                found = BatchLinks.Add(trigger, source, found);
            }

            var xrayHeader = settings.MergeXRayTraces || this.sendsXRayMetadata ? context.XRayTraceHeader ?? this.processXRayHeader() : null;
            var upstream = XRayContext.Apply(found, xrayHeader, settings.MergeXRayTraces) ?? UpstreamContext.None;

            var inferred = settings.ManagedServices ? trigger.TakeSpans() : [];
            for (var i = 0; i < inferred.Length; i++)
            {
                inferred[i].Schedule(start, wrapsAnother: i < inferred.Length - 1);
            }

            var authorizer = settings.EncodeAuthorizerContext && parsed ? this.registry.Authorizers.Classify(fields.Root) : AuthorizerEventKind.None;
            var triggerTags = trigger.TakeTags();
            return new InvocationPlan
            {
                Trigger = source,
                Start = start,
                Upstream = upstream,
                InferredSpans = inferred,
                Links = CombineLinks(upstream.Links, trigger.SpanPointers),
                Function = function,
                Settings = settings,
                ColdStart = coldStart,
                RequestId = context.AwsRequestId,
                FaasVersion = context.FunctionVersion is { } version && !string.Equals(version, settings.FunctionVersion, StringComparison.Ordinal) ? version : null,
                EventSourceArn = trigger.EventSourceArn,
                TriggerTags = triggerTags,
                HttpRoute = Route(triggerTags),
                PayloadTags = document is not null && settings.PayloadCapture.Enabled ? PayloadTags(document.RootElement, settings.PayloadCapture) : null,
                ColdStartSpan = this.ColdStartSpan(coldStart, initTime, start),
                Authorizer = authorizer,
                AuthorizingRequestId = authorizer == AuthorizerEventKind.None ? null : trigger.ApiRequestId,
                XRayHeader = this.sendsXRayMetadata ? xrayHeader : null,
            };
        }
        finally
        {
            document?.Dispose();
            trigger.Clear();
            fields.Return();
        }
    }

    /// <summary>Returns the cached identity of the function for this invocation's ARN and name.</summary>
    internal FunctionInfo GetFunctionInfo(string? invokedArn, string functionName)
    {
        var a = this.functionA;
        if (a is not null && a.Matches(invokedArn, functionName))
        {
            return a;
        }

        var b = this.functionB;
        if (b is not null && b.Matches(invokedArn, functionName))
        {
            return b;
        }

        var created = FunctionInfo.Create(invokedArn, functionName);
        created.LambdaStartTags = this.settings.LambdaSpanService == this.settings.ServiceName
            ?
            [
                new(TagNames.OperationName, "aws.lambda"),
                new(TagNames.ResourceName, created.FunctionName),
                new(TagNames.SpanType, "serverless"),
            ]
            :
            [
                new(TagNames.OperationName, "aws.lambda"),
                new(TagNames.ResourceName, created.FunctionName),
                new(TagNames.SpanType, "serverless"),
                new(TagNames.DatadogService, this.settings.LambdaSpanService),
            ];
        this.functionB = a;
        this.functionA = created;
        return created;
    }

    private bool Read(ReadOnlyMemory<byte> json, EventFields fields)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        if (!EventReader.Read(json.Span, this.registry.Schema.Root, fields, EventReader.EventOptions, out var error))
        {
            Diag.ExtractionSkipped("event", "the event was not parsed: " + ExceptionText.Message(error!, diagnostic: true));
            return false;
        }

        return true;
    }

    /// <summary>The event as a document, for the user's extractor and payload capture: within one bounded parse, or its digest.</summary>
    private static JsonDocument? ParseDocument(ReadOnlyMemory<byte> json)
    {
        try
        {
            return SafeJson.ParseOrDigest(json, DocumentOptions, "event");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static KeyValuePair<string, object?>[] PayloadTags(JsonElement root, LambdaPayloadCaptureSettings capture)
    {
        var sink = new ListSink(new List<KeyValuePair<string, object?>>());
        LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, root, capture, sink);
        return [.. sink.Tags];
    }

    private static string? Route(KeyValuePair<string, object?>[] tags)
    {
        string? route = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "http.route")
            {
                route = tag.Value as string;
            }
        }

        return route;
    }

    /// <summary>Links go on the root-most span of the invocation: conflicting upstream contexts and span pointers.</summary>
    private static IReadOnlyList<ActivityLink>? CombineLinks(IReadOnlyList<ActivityLink>? upstream, List<ActivityLink>? pointers)
    {
        if (pointers is null || pointers.Count == 0)
        {
            return upstream;
        }

        if (upstream is null || upstream.Count == 0)
        {
            return pointers;
        }

        var all = new List<ActivityLink>(upstream.Count + pointers.Count);
        all.AddRange(upstream);
        all.AddRange(pointers);
        return all;
    }

    private static string? FunctionNameFromArn(string? arn)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        var parts = arn.Split(':');
        return parts.Length > 6 && parts[6].Length > 0 ? parts[6] : null;
    }

    /// <summary>
    /// The <c>aws.lambda.cold_start</c> span covers the sandbox's initialization, from process start to the first
    /// invocation. After a SnapStart restore it is <c>aws.lambda.snapstart_restore</c> (the extension's name), from the
    /// after-restore hook to the first invocation: the extension times the restore phase itself from Lambda's platform
    /// events, which a function cannot see. Only for a cold start (with provisioned concurrency too, as Python: a first
    /// invocation within 10 s of the initialization is one). Not for a proactive initialization, where Python and Node.js
    /// time their module loads but this span would be mostly idle time (row cold-start-span); not on
    /// Managed Instances (no per-sandbox cold start), or when DD_COLD_START_TRACING is off.
    /// </summary>
    private ColdStartSpanPlan? ColdStartSpan(ColdStartState coldStart, DateTimeOffset initTime, DateTimeOffset start)
    {
        var settings = this.settings;
        if (coldStart is not (ColdStartState.ColdStart or ColdStartState.SnapStartRestore)
            || !settings.ColdStartTracing || settings.IsManagedInstances || initTime >= start)
        {
            return null;
        }

        return new ColdStartSpanPlan(coldStart == ColdStartState.SnapStartRestore ? "aws.lambda.snapstart_restore" : "aws.lambda.cold_start", initTime);
    }

    private readonly struct ListSink(List<KeyValuePair<string, object?>> tags) : IPayloadTagSink
    {
        public List<KeyValuePair<string, object?>> Tags { get; } = tags;

        public void SetTag(string key, string value) => this.Tags.Add(new(key, value));
    }
}
