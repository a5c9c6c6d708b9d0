// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization.Metadata;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// A handler and the raw event it is called with, carried to <see cref="InvocationRunner"/> without a closure. A struct
/// of this assembly rather than a value tuple: the runner's methods instantiated over it are in the package's
/// ReadyToRun image, where over a <see cref="ValueTuple"/> (a generic type of another assembly) they were compiled at
/// run time, at the first invocation.
/// </summary>
internal readonly struct HandlerCall<THandler>(THandler handler, Stream @event, DatadogLambdaContext context)
{
    public THandler Handler { get; } = handler;

    public Stream Event { get; } = @event;

    public DatadogLambdaContext Context { get; } = context;
}

/// <summary>A handler of a typed event, the event's bytes and its serializer metadata (see <see cref="HandlerCall{THandler}"/>).</summary>
internal readonly struct TypedHandlerCall<THandler, TEvent>(THandler handler, InvocationEvent @event, JsonTypeInfo<TEvent> eventType, DatadogLambdaContext context)
{
    public THandler Handler { get; } = handler;

    public InvocationEvent Event { get; } = @event;

    public JsonTypeInfo<TEvent> EventType { get; } = eventType;

    public DatadogLambdaContext Context { get; } = context;
}
