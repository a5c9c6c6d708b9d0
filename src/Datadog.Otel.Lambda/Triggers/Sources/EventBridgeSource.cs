// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// EventBridge, recognised by a <c>detail-type</c> (after scheduled rules, <see cref="CloudWatchEventsSource"/>): the
/// <c>aws.eventbridge</c> inferred span and the context of <c>detail._datadog</c>.
/// </summary>
internal sealed class EventBridgeSource : TriggerSource
{
    private EventBridgeMessage message = null!;

    public EventBridgeSource()
        : base(TriggerKind.EventBridge)
    {
    }

    public override string EventSource => "eventbridge";

    public override string FaasTrigger => "pubsub";

    public override void Declare(TriggerSchema schema) => this.message = new EventBridgeMessage(schema.Root);

    public override bool Matches(TriggerContext context) => context.Root.IsTruthy(this.message.DetailType);

    public override void Describe(TriggerContext context)
    {
        context.AddSpan(this.message.Span(context, context.Root, eventEnd: null));
        if (context.ExtractsFromEvent)
        {
            context.Upstream = this.message.Extract(context, context.Root, EventReader.EventOptions, "eventbridge");
        }
    }
}
