// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// AppSync resolvers, recognised by <c>info.selectionSetGraphQL</c>: no <c>function_trigger.event_source</c> (Datadog writes
/// none), and the context of the GraphQL request's headers.
/// </summary>
internal sealed class AppSyncSource : TriggerSource
{
    private int info;
    private int selectionSet;
    private int requestHeaders;

    public AppSyncSource()
        : base(TriggerKind.AppSync)
    {
    }

    public override string FaasTrigger => "http";

    public override void Declare(TriggerSchema schema)
    {
        this.info = schema.Field("info");
        this.selectionSet = schema.Field("info", "selectionSetGraphQL");
        this.requestHeaders = schema.Field("request", "headers");
    }

    public override bool Matches(TriggerContext context) => context.Root.IsObject(this.info) && context.Root.Has(this.selectionSet);

    public override void Describe(TriggerContext context)
    {
        if (context.ExtractsFromEvent && context.FieldMap(this.requestHeaders) is { } headers)
        {
            context.Upstream = context.Extractor.FromHeaderMap(headers, "appsync-headers");
        }
    }
}
