// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Every AWS source, in the order they are asked whether an event is theirs, and the schema of everything they read
/// (the one pass over the event reads it all). The order is the detection rule: HTTP events by their
/// <c>requestContext</c> (a Function URL's domain first); records by <c>Records[0].eventSource</c> (either case), or by
/// their source-specific member when that names no known source; CloudWatch Logs; scheduled rules (<c>source:
/// aws.events</c>) before generic EventBridge events; Kafka; Step Functions contexts; AppSync; durable executions (a
/// <c>DurableExecutionArn</c>, after every source Python's extraction asks first). Where Datadog's Python and
/// Node.js libraries disagree, the rule that recognises more real events wins (documented in docs/triggers.md).
/// </summary>
internal sealed class TriggerRegistry
{
    public static readonly TriggerRegistry Default = new(
    [
        new FunctionUrlSource(),
        new ApplicationLoadBalancerSource(),
        new ApiGatewayWebSocketSource(),
        new ApiGatewayHttpSource(),
        new ApiGatewayRestSource(),
        new SqsSource(),
        new CloudFrontSource(),
        new SnsSource(),
        new DynamoDbSource(),
        new KinesisSource(),
        new S3Source(),
        new CloudWatchLogsSource(),
        new CloudWatchEventsSource(),
        new EventBridgeSource(),
        new KafkaSource(),
        new StepFunctionsSource(),
        new AppSyncSource(),
        new DurableExecutionSource(),
    ]);

    private readonly TriggerSource[] sources;
    private readonly byte[][] recordEventSources;
    private readonly int recordEventSource;
    private readonly int recordEventSourceUpper;

    private TriggerRegistry(TriggerSource[] sources)
    {
        var record = new EventSchema();
        var self = record.Field();
        var root = new EventSchema();
        var records = root.DeclareRecords("Records", record);
        this.Schema = new TriggerSchema(root, record, records, self);
        this.recordEventSource = record.Field("eventSource");
        this.recordEventSourceUpper = record.Field("EventSource");
        this.Authorizers = new AuthorizerEvent(root);
        this.Unknown = new UnknownSource();
        this.Unknown.Declare(this.Schema);
        foreach (var source in sources)
        {
            source.Declare(this.Schema);
        }

        root.Freeze();
        this.sources = sources;
        this.recordEventSources = [.. sources.Select(s => s.RecordEventSourceUtf8).OfType<byte[]>()];
    }

    public TriggerSchema Schema { get; }

    /// <summary>Gets what tells a Lambda authorizer's event (read in the same pass).</summary>
    public AuthorizerEvent Authorizers { get; }

    /// <summary>Gets the source of events no other source recognises (a direct invocation, a custom event).</summary>
    public TriggerSource Unknown { get; }

    public IReadOnlyList<TriggerSource> Sources => this.sources;

    /// <summary>The source of the event in <paramref name="context"/>.</summary>
    public TriggerSource Detect(TriggerContext context)
    {
        foreach (var source in this.sources)
        {
            if (source.Matches(context))
            {
                return source;
            }
        }

        return this.Unknown;
    }

    /// <summary>
    /// Whether the first record is <paramref name="source"/>'s: its <c>eventSource</c> (or <c>EventSource</c>) names it, or
    /// names no source the registry knows and the record has <paramref name="shapeField"/> (an object, unless
    /// <paramref name="anyShapeKind"/>), the member only this source's records have.
    /// </summary>
    public bool RecordIs(TriggerContext context, TriggerSource source, int shapeField = -1, bool anyShapeKind = false)
    {
        if (!context.HasFirstRecord)
        {
            return false;
        }

        var record = context.FirstRecord;
        var field = record.IsString(this.recordEventSource) ? this.recordEventSource : this.recordEventSourceUpper;
        if (source.RecordEventSourceUtf8 is { } own && record.StringEquals(field, own))
        {
            return true;
        }

        if (shapeField < 0 || this.NamesKnownSource(record, field))
        {
            return false;
        }

        return anyShapeKind ? record.Has(shapeField) : record.IsObject(shapeField);
    }

    private bool NamesKnownSource(EventView record, int field)
    {
        if (!record.IsString(field))
        {
            return false;
        }

        foreach (var known in this.recordEventSources)
        {
            if (record.StringEquals(field, known))
            {
                return true;
            }
        }

        return false;
    }
}
