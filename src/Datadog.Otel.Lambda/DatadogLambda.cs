// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Invocation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda;

/// <summary>
/// Wraps a Lambda handler: creates the <c>aws.lambda</c> span (and the inferred spans of the trigger) around it,
/// continues the upstream trace found in the event, records errors, and exports the spans before returning.
/// The handler's result and exceptions pass through unchanged; tracing failures never reach the caller. With
/// <c>DD_TRACE_ENABLED=false</c>, or a provider not built with <c>AddDatadogLambda()</c>, the handler is called directly.
/// </summary>
/// <remarks>
/// Two shapes, asynchronous (<c>TraceAsync</c>) and synchronous (<c>Trace</c>), each with or without a result: the raw
/// event as Lambda hands it over (a <see cref="Stream"/>, read for tracing and rewound for the handler), or a typed event
/// deserialized once from that stream with source-generated metadata (<see cref="JsonTypeInfo{T}"/>), generic in the
/// event and result types as OpenTelemetry's <c>AWSLambdaWrapper</c> is. Prefer <c>TraceAsync</c>: it exports without
/// blocking a thread; <c>Trace</c> waits for the export on the calling thread.
/// </remarks>
public static class DatadogLambda
{
    /// <summary>Traces an asynchronous handler that returns a result.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">the raw event stream; when it can seek (as Lambda's can), it is read for tracing and rewound for the handler.</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The handler's result.</returns>
    public static Task<TResult> TraceAsync<TResult>(TracerProvider? tracerProvider, Stream @event, DatadogLambdaContext context, Func<Stream, DatadogLambdaContext, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(@event, context);
        }

        return InvocationRunner.RunAsync(runtime, InvocationEvent.FromSeekableStream(@event), context, new HandlerCall<Func<Stream, DatadogLambdaContext, Task<TResult>>>(handler, @event, context), static s => s.Handler(s.Event, s.Context), hasResult: true);
    }

    /// <summary>Traces an asynchronous handler that returns no result.</summary>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">the raw event stream; when it can seek (as Lambda's can), it is read for tracing and rewound for the handler.</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A task that completes with the handler.</returns>
    public static Task TraceAsync(TracerProvider? tracerProvider, Stream @event, DatadogLambdaContext context, Func<Stream, DatadogLambdaContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(@event, context);
        }

        return InvocationRunner.RunAsync(runtime, InvocationEvent.FromSeekableStream(@event), context, new HandlerCall<Func<Stream, DatadogLambdaContext, Task>>(handler, @event, context), static s => NoResult.Await(s.Handler(s.Event, s.Context)), hasResult: false);
    }

    /// <summary>Traces a synchronous handler that returns a result.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">the raw event stream; when it can seek (as Lambda's can), it is read for tracing and rewound for the handler.</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The handler's result.</returns>
    public static TResult Trace<TResult>(TracerProvider? tracerProvider, Stream @event, DatadogLambdaContext context, Func<Stream, DatadogLambdaContext, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(@event, context);
        }

        return InvocationRunner.Run(runtime, InvocationEvent.FromSeekableStream(@event), context, new HandlerCall<Func<Stream, DatadogLambdaContext, TResult>>(handler, @event, context), static s => s.Handler(s.Event, s.Context), hasResult: true);
    }

    /// <summary>Traces a synchronous handler that returns no result.</summary>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">the raw event stream; when it can seek (as Lambda's can), it is read for tracing and rewound for the handler.</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    public static void Trace(TracerProvider? tracerProvider, Stream @event, DatadogLambdaContext context, Action<Stream, DatadogLambdaContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            handler(@event, context);
            return;
        }

        InvocationRunner.Run(runtime, InvocationEvent.FromSeekableStream(@event), context, new HandlerCall<Action<Stream, DatadogLambdaContext>>(handler, @event, context), static s => NoResult.Invoke(s.Handler, s.Event, s.Context), hasResult: false);
    }

    /// <summary>Traces an asynchronous handler of a typed event that returns a result.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">The raw event stream, deserialized once with <paramref name="eventType"/> for the handler.</param>
    /// <param name="eventType">Source-generated metadata of <typeparamref name="TEvent"/> (no reflection-based serialization).</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The handler's result.</returns>
    public static Task<TResult> TraceAsync<TEvent, TResult>(TracerProvider? tracerProvider, Stream @event, JsonTypeInfo<TEvent> eventType, DatadogLambdaContext context, Func<TEvent, DatadogLambdaContext, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(JsonSerializer.Deserialize(@event, eventType)!, context);
        }

        var invocationEvent = InvocationEvent.FromWholeStream(@event, eventType.Options.TypeInfoResolver);
        return InvocationRunner.RunAsync(runtime, invocationEvent, context, new TypedHandlerCall<Func<TEvent, DatadogLambdaContext, Task<TResult>>, TEvent>(handler, invocationEvent, eventType, context), static s => s.Handler(TypedEvent.Take(s.Event, s.EventType), s.Context), hasResult: true, handlerReadsEvent: true);
    }

    /// <summary>Traces an asynchronous handler of a typed event that returns no result.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">The raw event stream, deserialized once with <paramref name="eventType"/> for the handler.</param>
    /// <param name="eventType">Source-generated metadata of <typeparamref name="TEvent"/> (no reflection-based serialization).</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A task that completes with the handler.</returns>
    public static Task TraceAsync<TEvent>(TracerProvider? tracerProvider, Stream @event, JsonTypeInfo<TEvent> eventType, DatadogLambdaContext context, Func<TEvent, DatadogLambdaContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(JsonSerializer.Deserialize(@event, eventType)!, context);
        }

        var invocationEvent = InvocationEvent.FromWholeStream(@event, eventType.Options.TypeInfoResolver);
        return InvocationRunner.RunAsync(runtime, invocationEvent, context, new TypedHandlerCall<Func<TEvent, DatadogLambdaContext, Task>, TEvent>(handler, invocationEvent, eventType, context), static s => NoResult.Await(s.Handler(TypedEvent.Take(s.Event, s.EventType), s.Context)), hasResult: false, handlerReadsEvent: true);
    }

    /// <summary>Traces a synchronous handler of a typed event that returns a result.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">The raw event stream, deserialized once with <paramref name="eventType"/> for the handler.</param>
    /// <param name="eventType">Source-generated metadata of <typeparamref name="TEvent"/> (no reflection-based serialization).</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The handler's result.</returns>
    public static TResult Trace<TEvent, TResult>(TracerProvider? tracerProvider, Stream @event, JsonTypeInfo<TEvent> eventType, DatadogLambdaContext context, Func<TEvent, DatadogLambdaContext, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            return handler(JsonSerializer.Deserialize(@event, eventType)!, context);
        }

        var invocationEvent = InvocationEvent.FromWholeStream(@event, eventType.Options.TypeInfoResolver);
        return InvocationRunner.Run(runtime, invocationEvent, context, new TypedHandlerCall<Func<TEvent, DatadogLambdaContext, TResult>, TEvent>(handler, invocationEvent, eventType, context), static s => s.Handler(TypedEvent.Take(s.Event, s.EventType), s.Context), hasResult: true, handlerReadsEvent: true);
    }

    /// <summary>Traces a synchronous handler of a typed event that returns no result.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="tracerProvider">The provider built with <c>AddDatadogLambda()</c>; <see langword="null"/> uses the only such provider.</param>
    /// <param name="event">The raw event stream, deserialized once with <paramref name="eventType"/> for the handler.</param>
    /// <param name="eventType">Source-generated metadata of <typeparamref name="TEvent"/> (no reflection-based serialization).</param>
    /// <param name="context">The invocation's context (<c>ctx.ToDatadog()</c>).</param>
    /// <param name="handler">The handler.</param>
    public static void Trace<TEvent>(TracerProvider? tracerProvider, Stream @event, JsonTypeInfo<TEvent> eventType, DatadogLambdaContext context, Action<TEvent, DatadogLambdaContext> handler)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        var runtime = InvocationRunner.Resolve(tracerProvider);
        if (runtime is null)
        {
            handler(JsonSerializer.Deserialize(@event, eventType)!, context);
            return;
        }

        var invocationEvent = InvocationEvent.FromWholeStream(@event, eventType.Options.TypeInfoResolver);
        InvocationRunner.Run(runtime, invocationEvent, context, new TypedHandlerCall<Action<TEvent, DatadogLambdaContext>, TEvent>(handler, invocationEvent, eventType, context), static s => NoResult.Invoke(s.Handler, TypedEvent.Take(s.Event, s.EventType), s.Context), hasResult: false, handlerReadsEvent: true);
    }
}
