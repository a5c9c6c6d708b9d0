// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Events;

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>Which authorizer sent the event, which decides what API Gateway accepts in the response's <c>context</c>.</summary>
internal enum AuthorizerEventKind
{
    /// <summary>Not an authorizer event.</summary>
    None,

    /// <summary>
    /// A REST API authorizer (<c>TOKEN</c> or <c>REQUEST</c> with a <c>methodArn</c>; HTTP APIs' payload format 1.0 too):
    /// <c>context</c> values must be strings, numbers or booleans ("you cannot set a JSON object or array as a valid value
    /// of any key in the context map").
    /// </summary>
    MethodArn,

    /// <summary>An HTTP API authorizer with payload format 2.0 (<c>routeArn</c>): <c>context</c> values may also be arrays and maps.</summary>
    RouteArn,
}

/// <summary>
/// Recognises a Lambda authorizer's event: <c>type</c> <c>TOKEN</c> or <c>REQUEST</c> with the ARN of the method
/// (<c>methodArn</c>) or route (<c>routeArn</c>) being authorized. Its response may carry the authorizer's trace to the
/// function it authorizes (<c>DD_ENCODE_AUTHORIZER_CONTEXT</c>).
/// </summary>
internal sealed class AuthorizerEvent
{
    private readonly int type;
    private readonly int methodArn;
    private readonly int routeArn;

    public AuthorizerEvent(EventSchema schema)
    {
        this.type = schema.Field("type");
        this.methodArn = schema.Field("methodArn");
        this.routeArn = schema.Field("routeArn");
    }

    /// <summary>Which authorizer sent the event (<see cref="AuthorizerEventKind.None"/> when none did).</summary>
    public AuthorizerEventKind Classify(in EventView root) =>
        !(root.StringEquals(this.type, "TOKEN"u8) || root.StringEquals(this.type, "REQUEST"u8)) ? AuthorizerEventKind.None
        : root.Has(this.methodArn) ? AuthorizerEventKind.MethodArn
        : root.Has(this.routeArn) ? AuthorizerEventKind.RouteArn
        : AuthorizerEventKind.None;
}
