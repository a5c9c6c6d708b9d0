// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// This file is added to your project by the Datadog.Otel.Lambda package and compiled there, next to
// Amazon.Lambda.Core. It traces a class-library function (handler Assembly::Namespace.Type::Method, on the managed
// .NET runtime) without any change to its code. Either way switches it on:
//   - the exec wrapper layer: add the layer and set AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog-otel-dotnet; the function's
//     handler setting stays as it is;
//   - or by hand: set the function's handler to
//         YourAssembly::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync
//     and DD_LAMBDA_HANDLER to the handler it had.
// docs/zero-code.md shows both (SAM, serverless.yml, CDK) and what cannot be redirected (executable-style handlers,
// ASP.NET Core minimal APIs, Native AOT).
//
// At initialization the handler named by DD_LAMBDA_HANDLER is found as the managed runtime finds a handler
// (Amazon.Lambda.RuntimeSupport's UserCodeLoader): by method name or by full signature, public or not, instance or
// static, on the type and then up its base types; its class is created once (or its static constructor run), its
// serializer taken from [LambdaSerializer] on the method, else on the assembly, and one delegate is bound to the method.
// The tracer provider is built from the environment alone: AddDatadogLambda(), plus the HttpClient instrumentation
// when OpenTelemetry.Instrumentation.Http is referenced and the AWS SDK instrumentation when Datadog.Otel.Lambda.AwsSdk
// is (the package's build file defines DATADOG_LAMBDA_HTTP_INSTRUMENTATION and DATADOG_LAMBDA_AWSSDK_INSTRUMENTATION).
// To add more, implement ConfigureTracing in a partial class of your own:
//     namespace Datadog.Otel.Lambda;
//     internal sealed partial class DatadogLambdaHandler
//     {
//         static partial void ConfigureTracing(OpenTelemetry.Trace.TracerProviderBuilder builder) => builder.AddSource("MyCompany.Orders");
//     }
// If the provider cannot be built, the function runs untraced and one line on stderr says why.
//
// Per invocation the handler runs inside DatadogLambda.TraceAsync: the event is read for tracing, then deserialized by
// the handler's serializer inside the aws.lambda span; a typed result is serialized into a seekable stream (so the
// status code and payload capture need no configuration), a Stream result passes through, and exceptions reach the
// runtime unchanged, as the runtime would report them.
//
// Left out of Native AOT builds (PublishAot=true), which have no managed runtime to redirect; set
// <DatadogLambdaHandler>false</DatadogLambdaHandler> in your project to leave it out anywhere else.
#nullable enable

using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Amazon.Lambda.Core;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda;

/// <summary>
/// A Lambda handler that traces the function's own handler, named by <c>DD_LAMBDA_HANDLER</c>, without any change to
/// its code. Created once by the runtime, at initialization.
/// </summary>
[RequiresUnreferencedCode("Finds and binds the handler named by DD_LAMBDA_HANDLER by reflection, as the managed Lambda runtime does; class-library functions only, not trimmed or Native AOT builds.")]
[RequiresDynamicCode("Binds the handler named by DD_LAMBDA_HANDLER to delegates of its own parameter and result types.")]
[SuppressMessage("Performance", "CA1812:Avoid uninstantiated internal classes", Justification = "The Lambda runtime creates it from the handler setting.")]
internal sealed partial class DatadogLambdaHandler : IDisposable
{
    /// <summary>The environment variable that names the function's own handler.</summary>
    public const string HandlerVariable = "DD_LAMBDA_HANDLER";

    // Where the runtime looks for a handler method: declared on the type itself, any visibility, instance or static.
    private const BindingFlags DeclaredMethods = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private const string SerializerAttributeName = "Amazon.Lambda.Core.LambdaSerializerAttribute";
    private const string SerializerInterfaceName = "Amazon.Lambda.Core.ILambdaSerializer";

    private readonly TracerProvider? tracing;
    private readonly Func<Stream, ILambdaContext, Task<Stream>>? withResult;
    private readonly Func<Stream, ILambdaContext, Task>? withoutResult;

    /// <summary>Finds the handler named by <c>DD_LAMBDA_HANDLER</c>, creates its class and builds the tracer provider.</summary>
    /// <exception cref="InvalidOperationException"><c>DD_LAMBDA_HANDLER</c> is missing, malformed, names this handler, or names a handler the runtime would refuse.</exception>
    public DatadogLambdaHandler()
    {
        var handler = Environment.GetEnvironmentVariable(HandlerVariable) ?? string.Empty;
        var (assemblyName, typeName, methodName) = Parse(handler);
        var assembly = LoadAssembly(assemblyName, handler);
        var type = assembly.GetType(typeName) ?? throw Invalid(handler, $"the type {typeName} is not in the assembly {assembly.GetName().Name}");
        var method = FindByName(type, methodName, handler) ?? FindBySignature(type, methodName, handler)
            ?? throw Invalid(handler, $"no method {methodName} on {typeName} or its base types");
        if (IsRedirect(type) || IsRedirect(method.DeclaringType))
        {
            throw Invalid(handler, "it names this redirect itself; set it to the function's own handler");
        }

        Validate(type, method, handler);
        var shape = HandlerShape.Of(method, handler);

        // Tracing first: the AWS SDK instrumentation must be in place before the handler's constructor creates clients.
        this.tracing = BuildTracingOrNull();
        try
        {
            var target = CreateTarget(type, method);
            var serializer = FindSerializer(method, assembly, handler);
            (this.withResult, this.withoutResult) = shape.Bind(method, target, serializer, handler);
        }
        catch
        {
            this.tracing?.Dispose();
            throw;
        }
    }

    /// <summary>Handles one invocation: runs the function's handler inside <c>DatadogLambda.TraceAsync</c>.</summary>
    /// <param name="input">The event, as the runtime received it.</param>
    /// <param name="context">The invocation's context.</param>
    /// <returns>The response: the handler's result, serialized by its serializer, or the handler's own stream.</returns>
    public Task<Stream> HandleAsync(Stream input, ILambdaContext context)
    {
        if (this.withResult is { } call)
        {
            return this.tracing is null
                ? call(input, context)
                : DatadogLambda.TraceAsync(this.tracing, input, context.ToDatadog(), (@event, _) => call(@event, context));
        }

        return this.HandleWithoutResultAsync(input, context);
    }

    /// <summary>Flushes and disposes the tracer provider (the runtime never does; tests and hosts may).</summary>
    public void Dispose() => this.tracing?.Dispose();

    /// <summary>Adds to the tracer provider the redirect builds; implement it in a partial class of your own.</summary>
    /// <param name="builder">The builder, after <c>AddDatadogLambda()</c> and the instrumentations the project references.</param>
    static partial void ConfigureTracing(TracerProviderBuilder builder);

    private static (string Assembly, string Type, string Method) Parse(string handler)
    {
        if (string.IsNullOrWhiteSpace(handler))
        {
            throw new InvalidOperationException($"{HandlerVariable} is not set: set it to the function's own handler (Assembly::Namespace.Type::Method), or add the exec wrapper layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog-otel-dotnet) and keep the function's handler setting.");
        }

        // As the runtime splits a handler string: at most three parts, each trimmed and not empty.
        var parts = handler.Split("::", 3, StringSplitOptions.None);
        if (parts.Length != 3 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0 || parts[2].Trim().Length == 0)
        {
            throw Invalid(handler, "expected Assembly::Namespace.Type::Method");
        }

        return (parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
    }

    private static Assembly LoadAssembly(string name, string handler)
    {
        try
        {
            // As the runtime loads it: by name, through the function's deps.json.
            return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw Invalid(handler, $"the assembly {name} cannot be loaded ({ex.Message})", ex);
        }
    }

    private static bool IsRedirect(Type? type) => type is not null && string.Equals(type.FullName, typeof(DatadogLambdaHandler).FullName, StringComparison.Ordinal);

    /// <summary>By name, on the type and then its base types; overloads of the name are refused.</summary>
    private static MethodInfo? FindByName(Type type, string name, string handler)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            MethodInfo? method;
            try
            {
                method = current.GetMethod(name, DeclaredMethods);
            }
            catch (AmbiguousMatchException ex)
            {
                throw Invalid(handler, $"{current.FullName} has several methods named {name}; name one by its signature (for example 'System.String {name}(System.IO.Stream)')", ex);
            }

            if (method is not null)
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>By signature, as <see cref="MethodInfo.ToString"/> writes it, on the type and then its base types.</summary>
    private static MethodInfo? FindBySignature(Type type, string signature, string handler)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            MethodInfo? found = null;
            foreach (var method in current.GetMethods(DeclaredMethods))
            {
                if (string.Equals(method.ToString(), signature, StringComparison.Ordinal))
                {
                    found = found is null ? method : throw Invalid(handler, $"{current.FullName} has several methods with the signature {signature}");
                }
            }

            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The handlers the runtime refuses at initialization.</summary>
    private static void Validate(Type type, MethodInfo method, string handler)
    {
        var refusal =
            type.IsGenericType ? $"the type {type.FullName} is generic"
            : !method.IsStatic && type.IsAbstract ? $"the type {type.FullName} is abstract and {method.Name} is not static"
            : !(type.IsClass || (type.IsValueType && !type.IsPrimitive && !type.IsEnum)) ? $"{type.FullName} is not a class or a struct"
            : method.IsAbstract ? $"{method} is abstract"
            : method.IsGenericMethod ? $"{method} is generic"
            : method.ReturnType == typeof(void) && method.IsDefined(typeof(AsyncStateMachineAttribute), false) ? $"{method} is async void: return a Task"
            : method.GetParameters() is { Length: > 0 } parameters && parameters[^1].IsDefined(typeof(ParamArrayAttribute), false) ? $"{method} takes a params array"
            : (method.CallingConvention & CallingConventions.VarArgs) == CallingConventions.VarArgs ? $"{method} takes variable arguments"
            : null;
        if (refusal is not null)
        {
            throw Invalid(handler, refusal);
        }
    }

    /// <summary>The handler's class, created once (a static handler gets its static constructor run instead).</summary>
    private static object? CreateTarget(Type type, MethodInfo method)
    {
        if (method.IsStatic)
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            return null;
        }

        // As the runtime's Activator.CreateInstance(type), but the constructor's exception reaches the runtime as itself,
        // not inside a second TargetInvocationException (the runtime's own call to this constructor adds one).
        return Activator.CreateInstance(type, BindingFlags.Public | BindingFlags.Instance | BindingFlags.CreateInstance | BindingFlags.DoNotWrapExceptions, null, null, null);
    }

    /// <summary>[LambdaSerializer] on the method (or a method it overrides), else on the assembly; created once.</summary>
    private static ILambdaSerializer? FindSerializer(MethodInfo method, Assembly assembly, string handler)
    {
        var attribute = SerializerAttribute(method.GetCustomAttributes(), handler) ?? SerializerAttribute(assembly.GetCustomAttributes(), handler);
        if (attribute is null)
        {
            return null;
        }

        var property = attribute.GetType().GetProperty("SerializerType");
        if (property is null || !typeof(Type).IsAssignableFrom(property.PropertyType))
        {
            throw Invalid(handler, $"{attribute.GetType().FullName} has no SerializerType property of type System.Type");
        }

        var serializerType = property.GetValue(attribute) as Type ?? throw Invalid(handler, "[LambdaSerializer] names no serializer type");
        var constructor = serializerType.GetConstructor(Type.EmptyTypes) ?? throw Invalid(handler, $"the serializer {serializerType.FullName} has no public parameterless constructor");
        if (serializerType.GetInterface(SerializerInterfaceName) is null)
        {
            throw Invalid(handler, $"the serializer {serializerType.FullName} does not implement {SerializerInterfaceName}");
        }

        return constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, null, null) as ILambdaSerializer
            ?? throw Invalid(handler, $"the serializer {serializerType.FullName} implements an {SerializerInterfaceName} of another Amazon.Lambda.Core than the function's");
    }

    private static Attribute? SerializerAttribute(System.Collections.Generic.IEnumerable<Attribute> attributes, string handler)
    {
        Attribute? found = null;
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.GetType().FullName, SerializerAttributeName, StringComparison.Ordinal))
            {
                found = found is null ? attribute : throw Invalid(handler, "more than one [LambdaSerializer] applies");
            }
        }

        return found;
    }

    /// <summary>The provider, or none when it cannot be built: the function then runs untraced.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Tracing must never stop the function from starting.")]
    private static TracerProvider? BuildTracingOrNull()
    {
        try
        {
            return BuildTracing() ?? throw new InvalidOperationException("the builder returned no provider");
        }
        catch (Exception ex)
        {
            // Also what a missing or mismatched instrumentation assembly throws, when BuildTracing is compiled.
            Console.Error.WriteLine("Datadog.Otel.Lambda: the tracer provider could not be built; the function runs untraced: " + ex);
            return null;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TracerProvider? BuildTracing()
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddDatadogLambda();
#if DATADOG_LAMBDA_HTTP_INSTRUMENTATION
        builder.AddHttpClientInstrumentation();
#endif
#if DATADOG_LAMBDA_AWSSDK_INSTRUMENTATION
        builder.AddDatadogAwsSdkInstrumentation();
#endif
        ConfigureTracing(builder);
        return builder.Build();
    }

    private static InvalidOperationException Invalid(string handler, string reason, Exception? inner = null) =>
        new($"{HandlerVariable}='{handler}' cannot be traced: {reason}.", inner);

    private async Task<Stream> HandleWithoutResultAsync(Stream input, ILambdaContext context)
    {
        var call = this.withoutResult!;
        if (this.tracing is null)
        {
            await call(input, context).ConfigureAwait(false);
        }
        else
        {
            await DatadogLambda.TraceAsync(this.tracing, input, context.ToDatadog(), (@event, _) => call(@event, context)).ConfigureAwait(false);
        }

        // No result: the runtime writes an empty response.
        return Stream.Null;
    }

    /// <summary>
    /// What the handler takes and returns, under the runtime's rules: at most two parameters, the second an
    /// <c>ILambdaContext</c>; a single <c>ILambdaContext</c> parameter is the context, any other the event (a
    /// <see cref="Stream"/> as it is, anything else through the serializer). A <c>Task</c> result is awaited, a
    /// <c>Task&lt;T&gt;</c> (or a subclass) gives its <c>T</c>; a <see cref="Stream"/> result is the response as it is,
    /// any other result goes through the serializer.
    /// </summary>
    [RequiresUnreferencedCode("Binds the handler by reflection.")]
    [RequiresDynamicCode("Makes delegates and generic methods of the handler's own types.")]
    private sealed class HandlerShape
    {
        private HandlerShape(Type? input, bool takesContext, Type? returned, Type? data, bool awaited)
        {
            this.Input = input;
            this.TakesContext = takesContext;
            this.Returned = returned;
            this.Data = data;
            this.Awaited = awaited;
        }

        /// <summary>Gets the event parameter's type (null: none).</summary>
        public Type? Input { get; }

        public bool TakesContext { get; }

        /// <summary>Gets the delegate's result type: null (void), <see cref="Task"/>, <c>Task&lt;T&gt;</c> or the data type.</summary>
        public Type? Returned { get; }

        /// <summary>Gets the type of the response data (null: no response).</summary>
        public Type? Data { get; }

        public bool Awaited { get; }

        public static HandlerShape Of(MethodInfo method, string handler)
        {
            var parameters = method.GetParameters();
            Type? input = null;
            var takesContext = false;
            switch (parameters.Length)
            {
                case > 2:
                    throw Invalid(handler, $"{method.Name} takes {parameters.Length} parameters; a handler takes at most two");
                case 2:
                    if (!typeof(ILambdaContext).IsAssignableFrom(parameters[1].ParameterType))
                    {
                        throw Invalid(handler, $"the second parameter of {method.Name} is not an {typeof(ILambdaContext).FullName}");
                    }

                    input = parameters[0].ParameterType;
                    takesContext = true;
                    break;
                case 1 when typeof(ILambdaContext).IsAssignableFrom(parameters[0].ParameterType):
                    takesContext = true;
                    break;
                case 1:
                    input = parameters[0].ParameterType;
                    break;
            }

            var returnType = method.ReturnType;
            if (returnType == typeof(void))
            {
                return new HandlerShape(input, takesContext, null, null, awaited: false);
            }

            if (TaskResultType(returnType) is { } taskOfT)
            {
                return new HandlerShape(input, takesContext, taskOfT, taskOfT.GenericTypeArguments[0], awaited: true);
            }

            return typeof(Task).IsAssignableFrom(returnType)
                ? new HandlerShape(input, takesContext, typeof(Task), null, awaited: true)
                : new HandlerShape(input, takesContext, returnType, returnType, awaited: false);
        }

        /// <summary>Binds the method once; the result calls it with the event and context of an invocation.</summary>
        public (Func<Stream, ILambdaContext, Task<Stream>>? WithResult, Func<Stream, ILambdaContext, Task>? WithoutResult) Bind(MethodInfo method, object? target, ILambdaSerializer? serializer, string handler)
        {
            var reader = this.Input is null ? null : Reader(this.Input, serializer, handler);
            if (this.Data is not null && !typeof(Stream).IsAssignableFrom(this.Data) && serializer is null)
            {
                throw Invalid(handler, $"its result type {this.Data.FullName} needs a serializer: add [assembly: LambdaSerializer(typeof(...))] or [LambdaSerializer] on the method");
            }

            Type[] arguments = (this.Input, this.TakesContext) switch
            {
                (null, false) => [],
                (null, true) => [typeof(ILambdaContext)],
                ({ } input, false) => [input],
                ({ } input, true) => [input, typeof(ILambdaContext)],
            };
            Delegate bound;
            try
            {
                var delegateType = DelegateType(arguments, this.Returned);
                bound = method.IsStatic ? Delegate.CreateDelegate(delegateType, method) : Delegate.CreateDelegate(delegateType, target, method);
            }
            catch (ArgumentException ex)
            {
                throw Invalid(handler, $"{method} cannot be called with ({string.Join(", ", Array.ConvertAll(arguments, a => a.FullName))})", ex);
            }

            if (this.Returned is null)
            {
                var action = this.Input is null ? ActWithoutEvent(bound) : (Action<Stream, ILambdaContext>)Generic(nameof(ActWithEvent), [this.Input], bound, reader);
                return (null, (input, context) =>
                {
                    action(input, context);
                    return Task.CompletedTask;
                });
            }

            var call = this.Input is null
                ? Generic(nameof(CallWithoutEvent), [this.Returned], bound)
                : Generic(nameof(CallWithEvent), [this.Input, this.Returned], bound, reader);
            if (this.Data is null)
            {
                return (null, (Func<Stream, ILambdaContext, Task>)call);
            }

            var response = (Func<Stream, ILambdaContext, Task<Stream>>)Generic(this.Awaited ? nameof(Awaiting) : nameof(Returning), [this.Data], call, serializer);
            return (response, null);
        }

        /// <summary>The <c>Task&lt;T&gt;</c> the type is or derives from, if any.</summary>
        private static Type? TaskResultType(Type? type)
        {
            for (; type is not null; type = type.BaseType)
            {
                if (type.IsConstructedGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
                {
                    return type;
                }
            }

            return null;
        }

        private static Type DelegateType(Type[] arguments, Type? returned) => (arguments.Length, returned) switch
        {
            (0, null) => typeof(Action),
            (1, null) => typeof(Action<>).MakeGenericType(arguments),
            (2, null) => typeof(Action<,>).MakeGenericType(arguments),
            (0, { } r) => typeof(Func<>).MakeGenericType(r),
            (1, { } r) => typeof(Func<,>).MakeGenericType(arguments[0], r),
            (2, { } r) => typeof(Func<,,>).MakeGenericType(arguments[0], arguments[1], r),
            _ => throw new ArgumentException("a handler takes at most two parameters", nameof(arguments)),
        };

        /// <summary>The event as the runtime reads it: a <see cref="Stream"/> as it is, anything else deserialized.</summary>
        private static Delegate Reader(Type input, ILambdaSerializer? serializer, string handler)
        {
            if (input == typeof(Stream))
            {
                return (Func<Stream, Stream>)(static stream => stream);
            }

            if (serializer is null)
            {
                throw Invalid(handler, $"its event type {input.FullName} needs a serializer: add [assembly: LambdaSerializer(typeof(...))] or [LambdaSerializer] on the method");
            }

            // The runtime calls the serializer's own public Deserialize<T>(Stream), found by name on its class.
            MethodInfo? deserialize = null;
            foreach (var candidate in serializer.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (string.Equals(candidate.Name, "Deserialize", StringComparison.OrdinalIgnoreCase) && candidate.IsGenericMethodDefinition
                    && candidate.GetGenericArguments().Length == 1 && candidate.GetParameters().Length == 1)
                {
                    deserialize = deserialize is null ? candidate : throw Invalid(handler, $"the serializer {serializer.GetType().FullName} has several Deserialize<T> methods");
                }
            }

            if (deserialize is null)
            {
                throw Invalid(handler, $"the serializer {serializer.GetType().FullName} has no public Deserialize<T>(Stream)");
            }

            try
            {
                return Delegate.CreateDelegate(typeof(Func<,>).MakeGenericType(typeof(Stream), input), serializer, deserialize.MakeGenericMethod(input));
            }
            catch (ArgumentException ex)
            {
                throw Invalid(handler, $"the serializer {serializer.GetType().FullName} cannot read a {input.FullName} from a Stream", ex);
            }
        }

        private static object Generic(string name, Type[] typeArguments, params object?[] arguments) =>
            typeof(HandlerShape).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeArguments)
                .Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;

        private static Func<Stream, ILambdaContext, TReturned> CallWithEvent<TInput, TReturned>(Delegate bound, Func<Stream, TInput> read) => bound switch
        {
            Func<TInput, ILambdaContext, TReturned> both => (input, context) => both(read(input), context),
            Func<TInput, TReturned> eventOnly => (input, _) => eventOnly(read(input)),
            _ => throw new ArgumentException("unexpected delegate " + bound.GetType(), nameof(bound)),
        };

        private static Action<Stream, ILambdaContext> ActWithEvent<TInput>(Delegate bound, Func<Stream, TInput> read) => bound switch
        {
            Action<TInput, ILambdaContext> both => (input, context) => both(read(input), context),
            Action<TInput> eventOnly => (input, _) => eventOnly(read(input)),
            _ => throw new ArgumentException("unexpected delegate " + bound.GetType(), nameof(bound)),
        };

        private static Func<Stream, ILambdaContext, TReturned> CallWithoutEvent<TReturned>(Delegate bound) => bound switch
        {
            Func<ILambdaContext, TReturned> contextOnly => (_, context) => contextOnly(context),
            Func<TReturned> none => (_, _) => none(),
            _ => throw new ArgumentException("unexpected delegate " + bound.GetType(), nameof(bound)),
        };

        private static Action<Stream, ILambdaContext> ActWithoutEvent(Delegate bound) => bound switch
        {
            Action<ILambdaContext> contextOnly => (_, context) => contextOnly(context),
            Action none => (_, _) => none(),
            _ => throw new ArgumentException("unexpected delegate " + bound.GetType(), nameof(bound)),
        };

        private static Func<Stream, ILambdaContext, Task<Stream>> Returning<TData>(Func<Stream, ILambdaContext, TData> call, ILambdaSerializer? serializer)
        {
            var write = Writer<TData>(serializer);
            return (input, context) => Task.FromResult(write(call(input, context)));
        }

        private static Func<Stream, ILambdaContext, Task<Stream>> Awaiting<TData>(Func<Stream, ILambdaContext, Task<TData>> call, ILambdaSerializer? serializer)
        {
            var write = Writer<TData>(serializer);
            return async (input, context) => write(await call(input, context).ConfigureAwait(false));
        }

        /// <summary>The response as the runtime writes it: a stream as it is, anything else through the serializer.</summary>
        private static Func<TData, Stream> Writer<TData>(ILambdaSerializer? serializer)
        {
            if (typeof(Stream).IsAssignableFrom(typeof(TData)))
            {
                return static data => (Stream)(object)data!;
            }

            var json = serializer!;
            return data =>
            {
                // Seekable, so that tracing can read the status code and captured payload without another copy.
                var buffer = new MemoryStream();
                json.Serialize(data, buffer);
                buffer.Position = 0;
                return buffer;
            };
        }
    }
}
