// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// One AWS source, all of it: the members of its events it reads (<see cref="Declare"/>), how its events are recognised
/// (<see cref="Matches"/>), and what it puts in the invocation's plan (<see cref="Describe"/>: the <c>aws.lambda</c>
/// trigger tags, the inferred spans, span pointers, and the trace context its carrier holds); sources of batches also
/// give each other record's context (<see cref="RecordContext"/>), which becomes a span link. Its names in Datadog's and
/// OpenTelemetry's vocabularies are properties. <see cref="TriggerRegistry"/> lists every source; adding one is adding a
/// subclass there. Instances are created once and hold no per-invocation state.
/// </summary>
internal abstract class TriggerSource
{
    private byte[]? recordEventSourceUtf8;

    protected TriggerSource(TriggerKind kind)
    {
        this.Kind = kind;
    }

    /// <summary>Gets which source this is (for tests and diagnostics; nothing switches over it).</summary>
    public TriggerKind Kind { get; }

    /// <summary>Gets Datadog's <c>function_trigger.event_source</c>; null when Datadog writes none (AppSync, direct invocations).</summary>
    public virtual string? EventSource => null;

    /// <summary>Gets OpenTelemetry's <c>faas.trigger</c>.</summary>
    public virtual string FaasTrigger => "other";

    /// <summary>Gets a value indicating whether the function's response is an HTTP response (its status is tagged, a 5xx is an error).</summary>
    public virtual bool IsHttp => false;

    /// <summary>
    /// Gets a value indicating whether the response's <c>Status</c> is tagged on <c>aws.lambda</c> at the end (durable
    /// executions, <see cref="DurableExecutionSource.ExecutionStatus(ReadOnlySpan{char})"/>).
    /// </summary>
    public virtual bool TagsExecutionStatus => false;

    /// <summary>Gets the <c>eventSource</c> of <c>Records[0]</c> that names this source, for sources of records.</summary>
    public virtual string? RecordEventSource => null;

    /// <summary>Gets <see cref="RecordEventSource"/> as UTF-8.</summary>
    public byte[]? RecordEventSourceUtf8 => this.RecordEventSource is null ? null : this.recordEventSourceUtf8 ??= System.Text.Encoding.UTF8.GetBytes(this.RecordEventSource);

    /// <summary>Gets a value indicating whether the other records of a batch are linked (<see cref="RecordContext"/>).</summary>
    public virtual bool LinksBatchRecords => false;

    /// <summary>Declares the members this source reads, in the event's schema and in each record's.</summary>
    public abstract void Declare(TriggerSchema schema);

    /// <summary>Whether the event is this source's. Sources are asked in the registry's order; the first that says yes describes it.</summary>
    public abstract bool Matches(TriggerContext context);

    /// <summary>Writes the source's part of the plan into <paramref name="context"/>.</summary>
    public abstract void Describe(TriggerContext context);

    /// <summary>The trace context of record <paramref name="index"/> (not the first) of a batch; null when it carries none.</summary>
    public virtual UpstreamContext? RecordContext(TriggerContext context, int index) => null;

    public override string ToString() => this.Kind.ToString();
}

/// <summary>Where sources declare the members they read: the event's root and, for batches, each record.</summary>
internal sealed class TriggerSchema
{
    public TriggerSchema(EventSchema root, EventSchema record, int records, int recordSelf)
    {
        this.Root = root;
        this.Record = record;
        this.Records = records;
        this.RecordSelf = recordSelf;
        this.RecordMessageId = record.Field("messageId");
        this.RecordEventId = record.Field("eventID");
    }

    public EventSchema Root { get; }

    public EventSchema Record { get; }

    /// <summary>Gets the field of the <c>Records</c> array.</summary>
    public int Records { get; }

    /// <summary>Gets the field of a record itself (its kind: records that are not objects are skipped).</summary>
    public int RecordSelf { get; }

    /// <summary>Gets the field of a record's <c>messageId</c> (SQS), the message id of a batch link.</summary>
    public int RecordMessageId { get; }

    /// <summary>Gets the field of a record's <c>eventID</c> (Kinesis, DynamoDB), the message id of a batch link when there is no <c>messageId</c>.</summary>
    public int RecordEventId { get; }

    /// <summary>Declares a member of the event.</summary>
    public int Field(params string[] path) => this.Root.Field(path);

    /// <summary>Declares a member of each record.</summary>
    public int RecordField(params string[] path) => this.Record.Field(path);
}
