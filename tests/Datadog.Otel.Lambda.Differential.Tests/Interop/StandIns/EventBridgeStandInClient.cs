// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.EventBridge;

/// <summary>
/// EventBridge over AWS JSON 1.1, as AWSSDK.EventBridge 4 sends it (service id <c>EventBridge</c>, signing name
/// <c>events</c>, target prefix <c>AWSEvents</c>, API version 2015-10-07); PutEvents is marshalled as its generated
/// <c>PutEventsRequestMarshaller</c> does (<c>Entries[]</c> with <c>Detail</c> as a string).
/// </summary>
internal sealed class EventBridgeStandInClient(Uri serviceUrl)
    : StandInServiceClient(new StandInClientConfig("EventBridge", "events", "2015-10-07", serviceUrl), StandInUnmarshaller.Instance)
{
    private static readonly StandInMetadata Metadata = new("EventBridge");

    protected override IServiceMetadata ServiceMetadata => Metadata;
}

internal sealed record PutEventsRequestEntry(string Source, string DetailType, string? Detail, string? EventBusName = null);

internal sealed class PutEventsRequest : JsonRequest
{
    public required IReadOnlyList<PutEventsRequestEntry> Entries { get; init; }

    public override string ServiceName => "Amazon.EventBridge";

    protected override string Target => "AWSEvents.PutEvents";

    protected override string ApiVersion => "2015-10-07";

    protected override void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("Entries");
        foreach (var entry in this.Entries)
        {
            writer.WriteStartObject();
            if (entry.Detail is { } detail)
            {
                writer.WriteString("Detail", detail);
            }

            writer.WriteString("DetailType", entry.DetailType);
            if (entry.EventBusName is { } bus)
            {
                writer.WriteString("EventBusName", bus);
            }

            writer.WriteString("Source", entry.Source);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
