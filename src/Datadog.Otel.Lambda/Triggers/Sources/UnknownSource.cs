// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// An event no source recognises (a direct invocation, a custom event, no event at all): no trigger tags. A custom event
/// that carries HTTP-style <c>headers</c> has its context read from them (direct invocations from instrumented code do this).
/// </summary>
internal sealed class UnknownSource : TriggerSource
{
    private int headers;

    public UnknownSource()
        : base(TriggerKind.Unknown)
    {
    }

    public override void Declare(TriggerSchema schema) => this.headers = schema.Field("headers");

    public override bool Matches(TriggerContext context) => true;

    public override void Describe(TriggerContext context)
    {
        if (context.ExtractsFromEvent && context.Fields.RootKind == JsonTokenType.StartObject && context.FieldMap(this.headers) is { } map)
        {
            context.Upstream = context.Extractor.FromHeaderMap(map, "headers");
        }
    }
}
