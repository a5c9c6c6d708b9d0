// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace ZeroCodeFunction;

// Every handler shape the managed runtime accepts, with plain user code: the differential tests call each one through
// the runtime's loader directly and through the DatadogLambdaHandler redirect, and compare what comes out.

/// <summary>Static handlers (the runtime runs the static constructor and creates no instance).</summary>
public static class StaticHandlers
{
    public static Stream Echo(Stream input) => input;

    public static void Nothing()
    {
    }

    public static string Upper(string text) => text.ToUpperInvariant();

    public static Task<Receipt> PlaceAsync(Order order, ILambdaContext context) =>
        Task.FromResult(new Receipt { OrderId = order.Id, Status = "placed", RequestId = context.AwsRequestId });
}

/// <summary>Instance handlers: one instance, created once at initialization.</summary>
public class InstanceHandlers
{
    private int calls;

    public Stream EchoWithContext(Stream input, ILambdaContext context)
    {
        Interlocked.Increment(ref this.calls);
        var text = new StreamReader(input).ReadToEnd();
        return new MemoryStream(Encoding.UTF8.GetBytes($"{{\"echo\":{text},\"requestId\":\"{context.AwsRequestId}\"}}"));
    }

    public void ContextOnly(ILambdaContext context) => Interlocked.Increment(ref this.calls);

    public string Upper(string text) => text.ToUpperInvariant();

    public int Quantity(Order order) => order.Quantity;

    public async Task Wait(Order order)
    {
        await Task.Yield();
        Interlocked.Add(ref this.calls, order.Quantity);
    }

    public async Task<Receipt> PlaceAsync(Order order, ILambdaContext context)
    {
        await Task.Yield();
        return new Receipt { OrderId = order.Id, Status = "placed", RequestId = context.AwsRequestId };
    }

    public Task<Receipt?> NoReceiptAsync(Order order) => Task.FromResult<Receipt?>(null);

    public async Task<Stream> StreamAsync(Stream input)
    {
        await Task.Yield();
        var copy = new MemoryStream();
        await input.CopyToAsync(copy);
        copy.Position = 0;
        return copy;
    }

    public Task<MemoryStream> MemoryStreamAsync() => Task.FromResult(new MemoryStream("{\"stream\":true}"u8.ToArray()));

    public ReceiptTask CustomTaskAsync(Order order) => new(() => new Receipt { OrderId = order.Id, Status = "custom task" });

    public APIGatewayProxyResponse Api(APIGatewayProxyRequest request) => new()
    {
        StatusCode = 200,
        Body = $"{request.HttpMethod} {request.Path}",
        Headers = new Dictionary<string, string> { ["content-type"] = "text/plain" },
    };

    public async Task<APIGatewayProxyResponse> ApiAsync(APIGatewayProxyRequest request, ILambdaContext context)
    {
        await Task.Yield();
        return new APIGatewayProxyResponse { StatusCode = 201, Body = $"{request.Resource} {context.AwsRequestId}" };
    }

    /// <summary>A method-level serializer wins over the assembly's (camelCase here, PascalCase there).</summary>
    [LambdaSerializer(typeof(CamelCaseLambdaJsonSerializer))]
    public Receipt Camel(Order order) => new() { OrderId = order.Id, Status = "camel" };

    private Receipt Hidden(Order order) => new() { OrderId = order.Id, Status = "private" };
}

/// <summary>A <c>Task&lt;T&gt;</c> subclass as the declared result.</summary>
public sealed class ReceiptTask : Task<Receipt>
{
    public ReceiptTask(Func<Receipt> function)
        : base(function) => this.Start(TaskScheduler.Default);
}

/// <summary>Overloads: the runtime refuses the name alone, and takes a full signature.</summary>
public class OverloadedHandlers
{
    public string Handle(string text) => "text:" + text;

    public string Handle(Order order) => "order:" + order.Id;
}

/// <summary>The handler is declared on a base type; the handler setting names the derived one.</summary>
public class BaseHandlers
{
    public virtual string Describe(Order order) => "base:" + order.Id;

    protected string Inherited(Order order) => "inherited:" + order.Item;
}

public sealed class DerivedHandlers : BaseHandlers
{
    public override string Describe(Order order) => "derived:" + order.Id;
}

/// <summary>Exceptions, thrown before and after the first await.</summary>
public class ThrowingHandlers
{
    public string Throws(string text) => throw new InvalidOperationException("sync " + text);

    public async Task<string> ThrowsAsync(string text)
    {
        await Task.Yield();
        throw new FormatException("async " + text);
    }

    public async Task FailsAsync()
    {
        await Task.Yield();
        throw new TimeoutException("no result");
    }

    public Task<string> Canceled() => Task.FromCanceled<string>(new CancellationToken(canceled: true));

    public void ThrowsVoid(Order order) => throw new ArgumentException("order " + order.Id);

    public Task<Stream> ReturnsNoTask() => null!;
}

/// <summary>Counts its instances and calls (the runtime creates one instance, whatever the number of invocations).</summary>
public class CountingHandlers
{
    private static int instances;
    private static int calls;

    public CountingHandlers() => Interlocked.Increment(ref instances);

    public static int Instances => Volatile.Read(ref instances);

    public static int Calls => Volatile.Read(ref calls);

    public async Task<Receipt> CountAsync(Order order, ILambdaContext context)
    {
        await Task.Yield();
        Interlocked.Increment(ref calls);
        return new Receipt { OrderId = order.Id, Status = "counted", RequestId = context.AwsRequestId };
    }
}

/// <summary>A constructor that fails: initialization fails, as the runtime reports it.</summary>
public class ThrowingConstructor
{
    public ThrowingConstructor() => throw new InvalidOperationException("the function's constructor failed");

    public string Handle(string text) => text;
}

/// <summary>Handlers the runtime refuses at initialization.</summary>
public class RefusedHandlers
{
    public string TooMany(string a, ILambdaContext b, string c) => a + c;

    public string SecondNotContext(string a, string b) => a + b;

    public T Generic<T>(T value) => value;

    public async void AsyncVoid(string text) => await Task.Yield();

    public string Params(params string[] values) => string.Concat(values);
}

public abstract class AbstractHandlers
{
    public string Handle(string text) => text;

    public static string StaticHandle(string text) => "static:" + text;
}
