// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using Datadog.Otel.Lambda.Extraction;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// Datadog continues only <c>Records[0]</c>; the other records' traces are kept as span links so a batch consumer still
/// connects to every producer (up to <see cref="LambdaSettings.MaxBatchLinks"/>, one link per distinct trace, each with
/// <c>reason=batch_record</c>, the record's index and its message id).
/// </summary>
internal static class BatchLinks
{
    public static UpstreamContext? Add(TriggerContext context, TriggerSource source, UpstreamContext? parent)
    {
        var max = context.Settings.MaxBatchLinks;
        if (max == 0 || context.RecordCount < 2)
        {
            return parent;
        }

        List<ActivityLink>? links = null;
        var seen = ArrayPool<ActivityTraceId>.Shared.Rent(max + 1);
        var seenCount = 0;
        try
        {
            if (parent is { HasParent: true })
            {
                seen[seenCount++] = parent.Parent.TraceId;
            }

            var records = context.Fields.RecordCount;
            var schema = context.Registry.Schema;
            for (var index = 1; index < records; index++)
            {
                if (!context.Fields.Record(index).IsObject(schema.RecordSelf))
                {
                    continue;
                }

                if ((links?.Count ?? 0) >= max)
                {
                    break;
                }

                // The record's carrier (its decoded text and header map) is done with once its context is extracted.
                var mark = context.Mark();
                var other = source.RecordContext(context, index);
                context.ReleaseSince(mark);
                if (other is not { HasParent: true } || Contains(seen, seenCount, other.Parent.TraceId))
                {
                    continue;
                }

                seen[seenCount++] = other.Parent.TraceId;
                var record = context.Fields.Record(index);
                var attributes = new ActivityTagsCollection { ["reason"] = "batch_record", ["messaging.batch.record_index"] = (long)index };
                if ((record.String(schema.RecordMessageId) ?? record.String(schema.RecordEventId)) is { } messageId)
                {
                    attributes["messaging.message.id"] = messageId;
                }

                (links ??= new List<ActivityLink>(Math.Min(max, records - index))).Add(new ActivityLink(other.Parent, attributes));
            }
        }
        finally
        {
            ArrayPool<ActivityTraceId>.Shared.Return(seen);
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

    private static bool Contains(ActivityTraceId[] seen, int count, ActivityTraceId traceId)
    {
        for (var i = 0; i < count; i++)
        {
            if (seen[i] == traceId)
            {
                return true;
            }
        }

        return false;
    }
}
