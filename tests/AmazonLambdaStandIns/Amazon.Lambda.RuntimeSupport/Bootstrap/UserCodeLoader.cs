// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in (a test double) for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/Bootstrap/
// {UserCodeLoader,InvokeDelegateBuilder,UserCodeValidator}.cs, Helpers/{HandlerInfo,Types}.cs and
// Serializers/StreamSerializer.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2): how the managed
// runtime loads a class-library handler ("Assembly::Namespace.Type::Method") and calls it. Reproduced, because the
// DatadogLambdaHandler redirect must find and call a handler exactly so:
//   - the handler string is split on "::" into at most three parts, each trimmed, none empty;
//   - the assembly is loaded by name into the default load context (so through the function's deps.json);
//   - the method is found on the type by name, and when no method has that name, by its full signature
//     (MethodInfo.ToString()); both look at declared methods of any visibility, instance and static, then up the base
//     types; several methods with the name is an error;
//   - refused: generic or abstract-with-instance-method types, neither class nor struct; abstract, generic, async void,
//     params and varargs methods; more than two parameters; a second parameter that is not an ILambdaContext;
//   - the type is created once with Activator.CreateInstance (a static handler gets its static constructor run);
//   - the serializer comes from [LambdaSerializer] (matched by full name) on the method (inherited from an overridden
//     method too), else on the assembly; its class needs a public parameterless constructor and ILambdaSerializer;
//   - a Stream parameter is passed as it is, any other through the serializer's public Deserialize<T>; no serializer
//     for one is an error at initialization, as it is for a result that is not a Stream;
//   - one delegate is compiled from an expression tree: Task and Task<T> (and subclasses) results are awaited by
//     blocking (GetAwaiter().GetResult(), so an exception is the task's own, not an AggregateException), a Stream result
//     is copied to the output, any other result serialized into it; nothing is caught.
// Not reproduced: the Amazon.Lambda.Core logger set-up, pre-JIT, the messages' wording (the errors are
// LambdaValidationException as in the real runtime, with messages of their own) and the serializer interface's shape
// check beyond its name.
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport.Bootstrap;

/// <summary>A handler the runtime refuses at initialization (internal in the real runtime too).</summary>
internal sealed class LambdaValidationException : Exception
{
    public LambdaValidationException(string message)
        : base(message)
    {
    }

    public LambdaValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Loads a class-library handler and builds the delegate the runtime calls for every invocation.</summary>
internal sealed class UserCodeLoader
{
    private const BindingFlags DefaultFlags = BindingFlags.DeclaredOnly | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
    private const string LambdaSerializerAttributeTypeName = "Amazon.Lambda.Core.LambdaSerializerAttribute";
    private const string ILambdaSerializerTypeName = "Amazon.Lambda.Core.ILambdaSerializer";

    private readonly string handlerString;
    private HandlerInfo handler;
    private Action<Stream, ILambdaContext, Stream> invokeDelegate;

    public UserCodeLoader(string handler)
    {
        if (string.IsNullOrEmpty(handler))
        {
            throw new ArgumentNullException(nameof(handler));
        }

        this.handlerString = handler;
    }

    public MethodInfo CustomerMethodInfo { get; private set; }

    /// <summary>Gets the serializer from [LambdaSerializer], which the runtime also puts on every invocation's context.</summary>
    public object CustomerSerializerInstance { get; private set; }

    /// <summary>Gets the handler's object (null for a static handler), for tests.</summary>
    public object CustomerObject { get; private set; }

    public void Init()
    {
        this.handler = new HandlerInfo(this.handlerString);
        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(this.handler.AssemblyName);
        }
        catch (FileNotFoundException ex)
        {
            throw new LambdaValidationException($"Could not find the handler assembly '{ex.FileName}'.");
        }
        catch (Exception ex) when (ex is not LambdaValidationException)
        {
            throw new LambdaValidationException($"Could not load the handler assembly '{this.handler.AssemblyName}'.");
        }

        var type = assembly.GetType(this.handler.TypeName)
            ?? throw new LambdaValidationException($"Type '{this.handler.TypeName}' is not in assembly '{this.handler.AssemblyName}'.");
        this.CustomerMethodInfo = this.FindCustomerMethod(type);
        ValidateCustomerMethod(this.CustomerMethodInfo);
        this.CustomerObject = this.GetCustomerObject(type);
        this.CustomerSerializerInstance = this.GetSerializerObject(assembly);
        this.invokeDelegate = this.ConstructInvokeDelegate(this.CustomerObject, this.CustomerSerializerInstance);
    }

    public void Invoke(Stream lambdaData, ILambdaContext lambdaContext, Stream outStream) => this.invokeDelegate(lambdaData, lambdaContext, outStream);

    private static bool IsILambdaContext(Type type) => typeof(ILambdaContext).IsAssignableFrom(type);

    private static void ValidateCustomerMethod(MethodInfo method)
    {
        if (method.IsAbstract)
        {
            throw new LambdaValidationException($"Handler method '{method}' is abstract.");
        }

        if (method.IsGenericMethod)
        {
            throw new LambdaValidationException($"Handler method '{method}' is generic.");
        }

        if (method.ReturnType == typeof(void) && method.GetCustomAttribute(typeof(AsyncStateMachineAttribute)) is not null)
        {
            throw new LambdaValidationException($"Handler method '{method}' is async void.");
        }

        var parameters = method.GetParameters();
        if (parameters.Length > 0 && parameters[^1].GetCustomAttribute(typeof(ParamArrayAttribute)) is not null)
        {
            throw new LambdaValidationException($"Handler method '{method}' takes a params array.");
        }

        if ((method.CallingConvention & CallingConventions.VarArgs) == CallingConventions.VarArgs)
        {
            throw new LambdaValidationException($"Handler method '{method}' takes variable arguments.");
        }
    }

    private static Type GetTaskTSubclassOrNull(Type type)
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

    private MethodInfo FindCustomerMethod(Type type) =>
        this.FindCustomerMethodByName(type) ?? this.FindCustomerMethodBySignature(type)
        ?? throw new LambdaValidationException($"No method '{this.handler.MethodName}' on type '{this.handler.TypeName}' in assembly '{this.handler.AssemblyName}'.");

    private MethodInfo FindCustomerMethodByName(Type type)
    {
        try
        {
            return type.GetMethod(this.handler.MethodName, DefaultFlags) ?? (type.BaseType is { } parent ? this.FindCustomerMethodByName(parent) : null);
        }
        catch (AmbiguousMatchException)
        {
            throw new LambdaValidationException($"Type '{type.FullName}' has several methods named '{this.handler.MethodName}'.");
        }
    }

    private MethodInfo FindCustomerMethodBySignature(Type type)
    {
        var matching = type.GetMethods(DefaultFlags).Where(m => string.Equals(this.handler.MethodName, m.ToString(), StringComparison.Ordinal)).ToList();
        return matching.Count switch
        {
            1 => matching[0],
            > 1 => throw new LambdaValidationException($"Type '{type.FullName}' has several methods with the signature '{this.handler.MethodName}'."),
            _ => type.BaseType is { } parent ? this.FindCustomerMethodBySignature(parent) : null,
        };
    }

    private object GetCustomerObject(Type type)
    {
        if (type.IsGenericType)
        {
            throw new LambdaValidationException($"Handler type '{type.FullName}' is generic.");
        }

        if (!this.CustomerMethodInfo.IsStatic && type.IsAbstract)
        {
            throw new LambdaValidationException($"Handler type '{type.FullName}' is abstract and '{this.CustomerMethodInfo}' is not static.");
        }

        if (!(type.IsClass || (type.IsValueType && !type.IsPrimitive && !type.IsEnum)))
        {
            throw new LambdaValidationException($"Handler type '{type.FullName}' is not a class or a struct.");
        }

        if (this.CustomerMethodInfo.IsStatic)
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            return null;
        }

        return Activator.CreateInstance(type);
    }

    private object GetSerializerObject(Assembly assembly)
    {
        var attribute = this.CustomerMethodInfo.GetCustomAttributes().SingleOrDefault(a => a.GetType().FullName == LambdaSerializerAttributeTypeName)
            ?? assembly.GetCustomAttributes().SingleOrDefault(a => a.GetType().FullName == LambdaSerializerAttributeTypeName);
        if (attribute is null)
        {
            return null;
        }

        var attributeType = attribute.GetType();
        var property = attributeType.GetProperty("SerializerType")
            ?? throw new LambdaValidationException($"'{attributeType.FullName}' has no SerializerType property.");
        if (!typeof(Type).IsAssignableFrom(property.PropertyType))
        {
            throw new LambdaValidationException($"'{attributeType.FullName}.SerializerType' is not a System.Type.");
        }

        var serializerType = property.GetValue(attribute) as Type
            ?? throw new LambdaValidationException($"'{attributeType.FullName}.SerializerType' is not set.");
        var constructor = serializerType.GetConstructor(Type.EmptyTypes)
            ?? throw new LambdaValidationException($"Serializer '{serializerType.FullName}' has no public parameterless constructor.");
        if (serializerType.GetInterface(ILambdaSerializerTypeName) is null)
        {
            throw new LambdaValidationException($"Serializer '{serializerType.FullName}' does not implement '{ILambdaSerializerTypeName}'.");
        }

        return constructor.Invoke(null);
    }

    /// <summary>(inStream, context, outStream) => serializer.Serialize(handler(serializer.Deserialize(inStream), context), outStream).</summary>
    private Action<Stream, ILambdaContext, Stream> ConstructInvokeDelegate(object customerObject, object serializer)
    {
        var inStream = Expression.Parameter(typeof(Stream), "inStream");
        var outStream = Expression.Parameter(typeof(Stream), "outStream");
        var context = Expression.Parameter(typeof(ILambdaContext), "context");

        var parameterTypes = this.CustomerMethodInfo.GetParameters().Select(p => p.ParameterType).ToArray();
        Type inputType = null;
        Type contextType = null;
        if (parameterTypes.Length > 2)
        {
            throw new LambdaValidationException($"Handler '{this.CustomerMethodInfo.Name}' of '{this.handler.TypeName}' takes more than two parameters.");
        }

        if (parameterTypes.Length == 2)
        {
            if (!IsILambdaContext(parameterTypes[1]))
            {
                throw new LambdaValidationException($"The second parameter of handler '{this.CustomerMethodInfo.Name}' of '{this.handler.TypeName}' is not an ILambdaContext.");
            }

            contextType = parameterTypes[1];
            inputType = parameterTypes[0];
        }
        else if (parameterTypes.Length == 1)
        {
            if (IsILambdaContext(parameterTypes[0]))
            {
                contextType = parameterTypes[0];
            }
            else
            {
                inputType = parameterTypes[0];
            }
        }

        var arguments = new List<Expression>();
        if (inputType is not null)
        {
            arguments.Add(this.DeserializeExpression(serializer, inputType, inStream));
        }

        if (contextType is not null)
        {
            arguments.Add(context);
        }

        Expression call = Expression.Call(customerObject is null ? null : Expression.Constant(customerObject), this.CustomerMethodInfo, arguments);
        var returnType = this.CustomerMethodInfo.ReturnType;
        var taskT = GetTaskTSubclassOrNull(returnType);
        var isTask = typeof(Task).IsAssignableFrom(returnType);
        if (taskT is not null)
        {
            var converted = Expression.Convert(call, taskT);
            call = Expression.Call(Expression.Call(converted, taskT.GetMethod("GetAwaiter")), "GetResult", null);
        }
        else if (isTask)
        {
            var converted = Expression.Convert(call, typeof(Task));
            call = Expression.Call(Expression.Call(converted, typeof(Task).GetMethod("GetAwaiter")), "GetResult", null);
        }

        var hasData = (returnType != typeof(void) && !isTask) || taskT is not null;
        var body = hasData ? this.SerializeExpression(serializer, taskT is not null ? taskT.GenericTypeArguments[0] : returnType, call, outStream) : call;
        return Expression.Lambda<Action<Stream, ILambdaContext, Stream>>(body, inStream, context, outStream).Compile();
    }

    private Expression DeserializeExpression(object serializer, Type dataType, Expression inStream)
    {
        if (dataType == typeof(Stream))
        {
            return Expression.Call(Expression.Constant(StreamSerializer.Instance), nameof(StreamSerializer.Deserialize), null, inStream);
        }

        if (serializer is null)
        {
            throw new LambdaValidationException($"Handler '{this.handler.MethodName}' takes a '{dataType.FullName}', which needs a serializer: none is given by [LambdaSerializer] on the method or the assembly '{this.handler.AssemblyName}'.");
        }

        // On the serializer's own class, by name, as an expression tree resolves it.
        return Expression.Call(Expression.Constant(serializer), "Deserialize", [dataType], inStream);
    }

    private Expression SerializeExpression(object serializer, Type dataType, Expression data, Expression outStream)
    {
        if (typeof(Stream).IsAssignableFrom(dataType))
        {
            return Expression.Call(Expression.Constant(StreamSerializer.Instance), nameof(StreamSerializer.Serialize), null, data, outStream);
        }

        if (serializer is null)
        {
            throw new LambdaValidationException($"Handler '{this.handler.MethodName}' returns a '{dataType.FullName}', which needs a serializer: none is given by [LambdaSerializer] on the method or the assembly '{this.handler.AssemblyName}'.");
        }

        // Through the ILambdaSerializer interface.
        var serializerInterface = serializer.GetType().GetInterface(ILambdaSerializerTypeName);
        return Expression.Call(Expression.Convert(Expression.Constant(serializer), serializerInterface), "Serialize", [dataType], data, outStream);
    }

    /// <summary>Helpers/HandlerInfo.cs.</summary>
    private sealed class HandlerInfo
    {
        public HandlerInfo(string handler)
        {
            var parts = handler.Split("::", 3, StringSplitOptions.None);
            if (parts.Length != 3 || parts.Any(p => p.Trim().Length == 0))
            {
                throw new LambdaValidationException($"Invalid handler '{handler}': expected Assembly::Type::Method.");
            }

            this.AssemblyName = new AssemblyName(parts[0].Trim());
            this.TypeName = parts[1].Trim();
            this.MethodName = parts[2].Trim();
        }

        public AssemblyName AssemblyName { get; }

        public string TypeName { get; }

        public string MethodName { get; }
    }

    /// <summary>Serializers/StreamSerializer.cs: a Stream event as it is; a Stream result copied to the output.</summary>
    private sealed class StreamSerializer
    {
        public static StreamSerializer Instance { get; } = new();

        public Stream Deserialize(Stream lambdaData) => lambdaData;

        public void Serialize(Stream customerData, Stream outStream) => customerData.CopyTo(outStream);
    }
}
