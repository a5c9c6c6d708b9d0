// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// CloudWatch Events and scheduled rules, recognised by <c>source: aws.events</c> (or <c>detail.EventCategories</c>):
/// the rule's ARN, no inferred span.
/// </summary>
internal sealed class CloudWatchEventsSource : TriggerSource
{
    private int source;
    private int detail;
    private int eventCategories;
    private int firstResource;

    public CloudWatchEventsSource()
        : base(TriggerKind.CloudWatchEvents)
    {
    }

    public override string EventSource => "cloudwatch-events";

    public override string FaasTrigger => "timer";

    public override void Declare(TriggerSchema schema)
    {
        this.source = schema.Field("source");
        this.detail = schema.Field("detail");
        this.eventCategories = schema.Field("detail", "EventCategories");
        this.firstResource = schema.Field("resources", "[0]");
    }

    public override bool Matches(TriggerContext context) =>
        context.Root.StringEquals(this.source, "aws.events"u8) || (context.Root.IsObject(this.detail) && context.Root.Has(this.eventCategories));

    public override void Describe(TriggerContext context) => context.EventSourceArn = context.Root.String(this.firstResource);
}
