// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Lambda durable executions, recognised by a <c>DurableExecutionArn</c> member (any value) in an event that no other
/// source claims and that has no <c>headers</c>, <c>multiValueHeaders</c> or <c>request</c> member (Python's extraction reads
/// those first). On <c>aws.lambda</c>: <c>aws.durable.execution_name</c> and <c>aws.durable.execution_id</c> from the ARN's
/// <c>/durable-execution/{name}/{id}</c> end, <c>aws.durable.first_invocation</c> (the operations are exactly one), and at
/// the end <c>aws.durable.execution_status</c> from the response's <c>Status</c> (<see cref="TagsExecutionStatus"/>). The
/// upstream context is the latest <c>_datadog_{N}</c> checkpoint's result (<see cref="DurableOperations"/>). No event
/// source tag and no inferred span: neither Datadog library makes them for these events.
/// </summary>
internal sealed class DurableExecutionSource : TriggerSource
{
    /// <summary>The tag of the execution's status on <c>aws.lambda</c>.</summary>
    public const string ExecutionStatusTag = "aws.durable.execution_status";

    private const string ArnSuffixMarker = "/durable-execution";

    private int arn;
    private int state;
    private int operations;
    private int headers;
    private int multiValueHeaders;
    private int request;

    public DurableExecutionSource()
        : base(TriggerKind.DurableExecution)
    {
    }

    /// <summary>Gets a value indicating whether the response's <c>Status</c> is tagged (<see cref="ExecutionStatus(ReadOnlySpan{char})"/>).</summary>
    public override bool TagsExecutionStatus => true;

    public override void Declare(TriggerSchema schema)
    {
        this.arn = schema.Field("DurableExecutionArn");
        this.state = schema.Field("InitialExecutionState");
        this.operations = schema.Field("InitialExecutionState", "Operations");
        this.headers = schema.Field("headers");
        this.multiValueHeaders = schema.Field("multiValueHeaders");
        this.request = schema.Field("request");
    }

    public override bool Matches(TriggerContext context)
    {
        var view = context.Root;
        return context.Fields.RootKind == JsonTokenType.StartObject && view.Has(this.arn)
            && !view.Has(this.headers) && !view.Has(this.multiValueHeaders) && !view.Has(this.request);
    }

    public override void Describe(TriggerContext context)
    {
        var view = context.Root;
        var count = -1;
        DurableOperations.Checkpoint checkpoint = default;
        if (!view.Has(this.state) || (view.IsObject(this.state) && !view.Has(this.operations)))
        {
            count = 0;
        }
        else if (view.IsArray(this.operations) || view.IsObject(this.operations))
        {
            count = DurableOperations.Scan(view.Raw(this.operations), out checkpoint);
        }
        else if (view.IsString(this.operations))
        {
            count = CodePoints(view.String(this.operations)!);
        }

        // Python routes on the member alone; its tags need a string.
        if (view.String(this.arn) is { } arnText)
        {
            Tag(context, arnText, count);
        }

        if (context.ExtractsFromEvent && checkpoint.Found)
        {
            if (checkpoint.Kind != DurableOperations.ResultKind.None && Map(context, view.RawMemory(this.operations), checkpoint) is { } map)
            {
                context.Upstream = context.Extractor.FromHeaderMap(map, "durable-checkpoint");
            }
            else
            {
                Diag.ExtractionSkipped("durable checkpoint", "the latest _datadog_{N} operation's StepDetails.Result is not a JSON object or a string holding one");
            }
        }
    }

    /// <summary>The execution's tags, from its ARN and the number of operations (-1 when Python cannot count them).</summary>
    private static void Tag(TriggerContext context, string arn, int count)
    {
        if (!TryParseArn(arn, out var name, out var id))
        {
            Diag.Warn("durable execution", "its DurableExecutionArn does not end in /durable-execution/{name}/{id}: no aws.durable tags");
            return;
        }

        context.Tag("aws.durable.execution_name", name);
        context.Tag("aws.durable.execution_id", id);

        // Python counts with len(); where it cannot (null, a number) it raises, and the tag is left out.
        if (count >= 0)
        {
            context.Tag("aws.durable.first_invocation", count == 1 ? "true" : "false");
        }
    }

    /// <summary>
    /// The status the response gives the execution, when it is one Datadog tags (<c>SUCCEEDED</c>, <c>FAILED</c>,
    /// <c>PENDING</c>, exactly); null otherwise. The constant is returned, so tagging allocates nothing.
    /// </summary>
    public static string? ExecutionStatus(ReadOnlySpan<char> status) => status switch
    {
        "SUCCEEDED" => "SUCCEEDED",
        "FAILED" => "FAILED",
        "PENDING" => "PENDING",
        _ => null,
    };

    /// <summary>As <see cref="ExecutionStatus(ReadOnlySpan{char})"/>, for a JSON string value.</summary>
    public static string? ExecutionStatus(JsonElement status) =>
        status.ValueKind != JsonValueKind.String ? null
        : status.ValueEquals("SUCCEEDED"u8) ? "SUCCEEDED"
        : status.ValueEquals("FAILED"u8) ? "FAILED"
        : status.ValueEquals("PENDING"u8) ? "PENDING"
        : null;

    /// <summary>
    /// The execution's name and id: the last two segments of an ARN that ends <c>/durable-execution/{name}/{id}</c>
    /// (both non-empty, without <c>/</c>).
    /// </summary>
    internal static bool TryParseArn(string arn, out string name, out string id)
    {
        name = id = string.Empty;
        var last = arn.LastIndexOf('/');
        if (last <= 0 || last == arn.Length - 1)
        {
            return false;
        }

        var previous = arn.LastIndexOf('/', last - 1);
        if (previous < 0 || previous == last - 1 || !arn.AsSpan(0, previous).EndsWith(ArnSuffixMarker, StringComparison.Ordinal))
        {
            return false;
        }

        name = arn.Substring(previous + 1, last - previous - 1);
        id = arn[(last + 1)..];
        return true;
    }

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>The checkpoint's result as a header map: the object itself, or the JSON object its string holds.</summary>
    private static HeaderMap? Map(TriggerContext context, ReadOnlyMemory<byte> operations, DurableOperations.Checkpoint checkpoint)
    {
        var text = operations.Slice(checkpoint.Start, checkpoint.Length);
        if (checkpoint.Kind == DurableOperations.ResultKind.Object)
        {
            return context.Map(text, EventReader.EventOptions);
        }

        return EmbeddedJson.TryGetObjectText(context, text, checkpoint.Escaped, EmbeddedJson.MaxObjectChars, out var json)
            ? EmbeddedJson.ObjectMap(context, json)
            : null;
    }
}
