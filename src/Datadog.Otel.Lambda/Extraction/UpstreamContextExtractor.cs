// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// Finds the trace an invocation continues, in Datadog's order: a custom extractor if configured (it replaces the
/// event-based extraction); otherwise the event's carrier for its source (HTTP headers and authorizer context, SQS/SNS
/// <c>_datadog</c> attributes, SNS and EventBridge envelopes inside SQS, EventBridge detail, Kinesis data, Step Functions
/// context, Kafka headers), then the client context of a direct invocation; finally the X-Ray header
/// (<see cref="XRayContext"/>). Only <c>Records[0]</c> gives the parent; the other records of a batch whose trace
/// differs become span links (capped). Never throws.
/// </summary>
internal sealed class UpstreamContextExtractor
{
    private readonly LambdaSettings settings;
    private readonly DatadogCompositePropagator propagator;
    private readonly Func<JsonElement, DatadogLambdaContext, ActivityContext?>? customExtractor;
    private readonly IEnvironmentSource environment;

    public UpstreamContextExtractor(LambdaSettings settings, DatadogCompositePropagator propagator, Func<JsonElement, DatadogLambdaContext, ActivityContext?>? customExtractor, IEnvironmentSource environment)
    {
        this.settings = settings;
        this.propagator = propagator;
        this.customExtractor = customExtractor;
        this.environment = environment;
    }

    /// <summary>The X-Ray header of this invocation: from the context (per invocation), else <c>_X_AMZN_TRACE_ID</c>.</summary>
    public string? XRayHeader(DatadogLambdaContext context) => context.XRayTraceHeader ?? this.environment.Get(EnvironmentVariables.XAmznTraceId);

    public UpstreamContext Extract(TriggerDescription trigger, DatadogLambdaContext context, string? xrayHeader)
    {
        UpstreamContext? found;
        if (this.customExtractor is not null)
        {
            found = this.FromCustomExtractor(trigger, context);
        }
        else
        {
            found = this.FromEvent(trigger) ?? this.FromClientContext(context);
            if (trigger.Kind is TriggerKind.Sqs or TriggerKind.Sns or TriggerKind.Kinesis)
            {
                found = this.AddBatchLinks(trigger, found);
            }
        }

        return XRayContext.Apply(found, xrayHeader, this.settings.MergeXRayTraces) ?? UpstreamContext.None;
    }

    /// <summary>Extracts from a JSON map of trace headers, or derives the context when the map is a Step Functions context.</summary>
    internal UpstreamContext? FromHeaderMap(JsonElement headers, string carrier)
    {
        if (StepFunctionsEvent.HasContextShape(headers))
        {
            return StepFunctionsContextReader.TryRead(headers, out var derived) ? new UpstreamContext(derived, UpstreamSource.Event) { Carrier = carrier + ":states" } : null;
        }

        var extracted = this.propagator.ExtractDetailed(new JsonHeaderSource(headers));
        if (!extracted.HasContext)
        {
            return extracted.Baggage.Count > 0 ? new UpstreamContext(default, UpstreamSource.None) { Baggage = extracted.Baggage } : null;
        }

        return new UpstreamContext(extracted.Parent, UpstreamSource.Event)
        {
            Links = extracted.Links.Count > 0 ? extracted.Links : null,
            DatadogParentId = extracted.DatadogParentIdTag,
            Baggage = extracted.Baggage,
            Carrier = carrier,
        };
    }

    private UpstreamContext? FromEvent(TriggerDescription trigger)
    {
        var root = trigger.Root;
        switch (trigger.Kind)
        {
            case TriggerKind.ApiGatewayRest or TriggerKind.ApiGatewayHttp or TriggerKind.ApiGatewayWebSocket
                or TriggerKind.FunctionUrl or TriggerKind.ApplicationLoadBalancer:
                if (trigger.AuthorizerHeaders is { } authorizer && this.FromHeaderMap(authorizer, "authorizer") is { HasParent: true } fromAuthorizer)
                {
                    return fromAuthorizer;
                }

                return HttpEventHeaders.TryGetCarrier(root, out var headers) ? this.FromHeaderMap(headers, "http-headers") : null;
            case TriggerKind.AppSync:
                return root.TryGetObject("request", out var request) && request.TryGetObject("headers", out var appSyncHeaders)
                    ? this.FromHeaderMap(appSyncHeaders, "appsync-headers")
                    : null;
            case TriggerKind.Sqs or TriggerKind.Sns or TriggerKind.Kinesis:
                return root.TryGetFirstRecord("Records", out var record) ? this.FromRecord(trigger, record, firstRecord: true) : null;
            case TriggerKind.EventBridge:
                return root.TryGetObject("detail", out var detail) && detail.TryGetObject("_datadog", out var datadog) ? this.FromHeaderMap(datadog, "eventbridge") : null;
            case TriggerKind.StepFunctions:
                return StepFunctionsEvent.TryGetContext(root, out var stepContext) && StepFunctionsContextReader.TryRead(stepContext, out var derived)
                    ? new UpstreamContext(derived, UpstreamSource.Event) { Carrier = "states" }
                    : null;
            case TriggerKind.Kafka:
                return KafkaHeaders.TryGetFirstRecordHeaders(root, out var kafka) ? this.FromHeaderDictionary(kafka, "kafka-headers") : null;
            case TriggerKind.Unknown:
                // A custom event that carries HTTP-style headers (direct invocations from instrumented code do this).
                return root.ValueKind == JsonValueKind.Object && root.TryGetObject("headers", out var customHeaders) ? this.FromHeaderMap(customHeaders, "headers") : null;
            default:
                return null;
        }
    }

    /// <summary>One record of an SQS, SNS or Kinesis batch.</summary>
    private UpstreamContext? FromRecord(TriggerDescription trigger, JsonElement record, bool firstRecord)
    {
        switch (trigger.Kind)
        {
            case TriggerKind.Sqs:
                return this.FromSqsRecord(trigger, record, firstRecord);
            case TriggerKind.Sns:
                return record.TryGetObject("Sns", out var sns) ? this.FromSnsMessage(trigger, sns, "sns") : null;
            case TriggerKind.Kinesis:
                return this.FromKinesisRecord(trigger, record);
            default:
                return null;
        }
    }

    private UpstreamContext? FromSqsRecord(TriggerDescription trigger, JsonElement record, bool firstRecord)
    {
        // The message's own attribute (set by the sender, or by SNS with raw message delivery).
        if (record.TryGetObject("messageAttributes", out var attributes) && attributes.TryGetObject("_datadog", out var attribute)
            && MessageAttributeCarrier.TryDecode(trigger, attribute, out var headers)
            && this.FromHeaderMap(headers, "sqs") is { HasParent: true } fromAttribute)
        {
            return fromAttribute;
        }

        // A message SNS or EventBridge delivered to the queue carries its context in the body's envelope.
        if (trigger.TryParseRecordBody(record, firstRecord, out var body))
        {
            if (body.StringEquals("Type", "Notification") && body.GetString("TopicArn") is not null
                && this.FromSnsMessage(trigger, body, "sns-sqs") is { HasParent: true } fromSns)
            {
                return fromSns;
            }

            if (body.TryGetObject("detail", out var detail) && detail.TryGetObject("_datadog", out var eventBridge)
                && this.FromHeaderMap(eventBridge, "eventbridge-sqs") is { HasParent: true } fromEventBridge)
            {
                return fromEventBridge;
            }
        }

        // Tracers that write X-Ray headers (dd-trace-java) put a Datadog context in AWSTraceHeader.
        if (record.TryGetObject("attributes", out var systemAttributes) && systemAttributes.GetString("AWSTraceHeader") is { } traceHeader
            && XRayContext.TryReadDatadogContext(traceHeader, out var fromXRayHeader))
        {
            return new UpstreamContext(fromXRayHeader, UpstreamSource.Event) { Carrier = "sqs-awstraceheader" };
        }

        return null;
    }

    private UpstreamContext? FromSnsMessage(TriggerDescription trigger, JsonElement message, string carrier) =>
        message.TryGetObject("MessageAttributes", out var attributes) && attributes.TryGetObject("_datadog", out var attribute)
        && MessageAttributeCarrier.TryDecode(trigger, attribute, out var headers)
            ? this.FromHeaderMap(headers, carrier)
            : null;

    private UpstreamContext? FromKinesisRecord(TriggerDescription trigger, JsonElement record)
    {
        // Kinesis data is base64; when it is a JSON object with _datadog, that is the producer's context.
        if (!record.TryGetObject("kinesis", out var kinesis) || kinesis.GetString("data") is not { } data
            || !TryDecodeJsonData(trigger, data, out var payload) || !payload.TryGetObject("_datadog", out var headers))
        {
            return null;
        }

        return this.FromHeaderMap(headers, "kinesis");
    }

    private static bool TryDecodeJsonData(TriggerDescription trigger, string base64, out JsonElement payload)
    {
        // Non-JSON or compressed data is common for Kinesis: no diagnostic, just no context.
        payload = default;
        if (base64.Length > 1 << 21)
        {
            return false;
        }

        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, bytes, out var length) && trigger.TryParseObject(bytes.AsMemory(0, length), out payload);
    }

    private UpstreamContext? FromHeaderDictionary(IReadOnlyDictionary<string, string> headers, string carrier)
    {
        var extracted = this.propagator.ExtractDetailed(headers);
        return extracted.HasContext
            ? new UpstreamContext(extracted.Parent, UpstreamSource.Event) { Links = extracted.Links.Count > 0 ? extracted.Links : null, DatadogParentId = extracted.DatadogParentIdTag, Baggage = extracted.Baggage, Carrier = carrier }
            : null;
    }

    /// <summary>
    /// A direct invocation's client context: <c>custom</c> is the header map (Datadog's legacy form nests it as a JSON
    /// string under <c>custom._datadog</c>).
    /// </summary>
    private UpstreamContext? FromClientContext(DatadogLambdaContext context)
    {
        if (context.ClientContextCustom is not { Count: > 0 } custom)
        {
            return null;
        }

        if (custom.TryGetValue("_datadog", out var legacy) && !string.IsNullOrEmpty(legacy))
        {
            try
            {
                using var document = SafeJson.Parse(legacy);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return this.FromHeaderMap(document.RootElement, "client-context");
                }
            }
            catch (JsonException)
            {
                Diag.ExtractionSkipped("client context", "custom._datadog is not JSON");
            }
        }

        var headers = custom as IReadOnlyDictionary<string, string> ?? new Dictionary<string, string>(custom, StringComparer.OrdinalIgnoreCase);
        return this.FromHeaderDictionary(headers, "client-context");
    }

    private UpstreamContext? FromCustomExtractor(TriggerDescription trigger, DatadogLambdaContext context)
    {
        try
        {
            var parent = this.customExtractor!(trigger.Root, context);
            if (parent is { } value && value.TraceId != default)
            {
                return new UpstreamContext(new ActivityContext(value.TraceId, value.SpanId, value.TraceFlags, value.TraceState, isRemote: true), UpstreamSource.Event) { Carrier = "custom-extractor" };
            }
        }
#pragma warning disable CA1031 // A failing user extractor falls back to X-Ray, as in Datadog's libraries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.Warn("extract", "the custom trace extractor threw; falling back to X-Ray: " + ExceptionText.Message(ex));
        }

        return null;
    }

    /// <summary>
    /// Datadog continues only <c>Records[0]</c>; the other records' traces are kept as span links so a batch consumer
    /// still connects to every producer (up to <see cref="LambdaSettings.MaxBatchLinks"/>, one link per distinct trace).
    /// </summary>
    private UpstreamContext? AddBatchLinks(TriggerDescription trigger, UpstreamContext? parent)
    {
        if (this.settings.MaxBatchLinks == 0 || !trigger.Root.TryGetArray("Records", out var records) || records.GetArrayLength() < 2)
        {
            return parent;
        }

        List<ActivityLink>? links = null;
        var seen = new HashSet<ActivityTraceId>();
        if (parent is { HasParent: true })
        {
            seen.Add(parent.Parent.TraceId);
        }

        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (index++ == 0 || record.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if ((links?.Count ?? 0) >= this.settings.MaxBatchLinks)
            {
                break;
            }

            if (this.FromRecord(trigger, record, firstRecord: false) is not { HasParent: true } other || !seen.Add(other.Parent.TraceId))
            {
                continue;
            }

            var attributes = new ActivityTagsCollection { ["reason"] = "batch_record", ["messaging.batch.record_index"] = (long)(index - 1) };
            if ((record.GetString("messageId") ?? record.GetString("eventID")) is { } messageId)
            {
                attributes["messaging.message.id"] = messageId;
            }

            (links ??= new List<ActivityLink>()).Add(new ActivityLink(other.Parent, attributes));
        }

        if (links is null)
        {
            return parent;
        }

        if (parent?.Links is { Count: > 0 } existing)
        {
            links.InsertRange(0, existing);
        }

        return (parent ?? UpstreamContext.None).WithLinks(links);
    }
}
