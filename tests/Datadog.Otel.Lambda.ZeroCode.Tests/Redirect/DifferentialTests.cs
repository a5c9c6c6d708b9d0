// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.Redirect;

/// <summary>
/// For every handler shape the managed runtime accepts, the redirect gives the runtime what the handler would have given
/// it without the redirect: the same response bytes, or an exception of the same type with the same message. Both are
/// loaded and called through the runtime's own loader (the stand-in's UserCodeLoader, as the runtime image runs it);
/// the redirect's invocation is traced (its aws.lambda span reaches the extension emulator, marked as an error when the
/// handler failed).
/// </summary>
[Collection(RedirectCollection.Name)]
public sealed class DifferentialTests(RedirectFixture fixture)
{
    private const string OrderEvent = """{"Id":7,"Item":"book","Quantity":3}""";
    private const string StringEvent = "\"Hello There\"";
    private const string JsonEvent = """{"hello":"world","n":[1,2,3]}""";

    public static TheoryData<string, string, string> Shapes()
    {
        var api = Handlers.Event("api-gateway-rest.json");
        return new TheoryData<string, string, string>
        {
            // name, handler (Type::Method or Type::signature), event
            { "static, Stream in, Stream out", "StaticHandlers::Echo", JsonEvent },
            { "static, no parameters, void", "StaticHandlers::Nothing", "{}" },
            { "static, string in, string out", "StaticHandlers::Upper", StringEvent },
            { "static, POCO and context, Task<T>", "StaticHandlers::PlaceAsync", OrderEvent },
            { "static method of an abstract type", "AbstractHandlers::StaticHandle", StringEvent },
            { "instance, Stream and context, Stream out", "InstanceHandlers::EchoWithContext", JsonEvent },
            { "instance, context only, void", "InstanceHandlers::ContextOnly", "{}" },
            { "instance, string in, string out", "InstanceHandlers::Upper", StringEvent },
            { "instance, POCO in, value type out", "InstanceHandlers::Quantity", OrderEvent },
            { "instance, POCO in, Task", "InstanceHandlers::Wait", OrderEvent },
            { "instance, POCO and context, Task<T>", "InstanceHandlers::PlaceAsync", OrderEvent },
            { "instance, Task<T> of null", "InstanceHandlers::NoReceiptAsync", OrderEvent },
            { "instance, Stream in, Task<Stream>", "InstanceHandlers::StreamAsync", JsonEvent },
            { "instance, no parameters, Task<MemoryStream>", "InstanceHandlers::MemoryStreamAsync", "{}" },
            { "instance, a Task<T> subclass", "InstanceHandlers::CustomTaskAsync", OrderEvent },
            { "instance, API Gateway request, response", "InstanceHandlers::Api", api },
            { "instance, API Gateway request and context, Task<response>", "InstanceHandlers::ApiAsync", api },
            { "method-level serializer over the assembly's", "InstanceHandlers::Camel", OrderEvent },
            { "private method", "InstanceHandlers::Hidden", OrderEvent },
            { "named by signature (string overload)", "OverloadedHandlers::System.String Handle(System.String)", StringEvent },
            { "named by signature (POCO overload)", "OverloadedHandlers::System.String Handle(ZeroCodeFunction.Order)", OrderEvent },
            { "override on the named type", "DerivedHandlers::Describe", OrderEvent },
            { "inherited from the base type", "DerivedHandlers::Inherited", OrderEvent },
            { "inherited, named by signature", "DerivedHandlers::System.String Inherited(ZeroCodeFunction.Order)", OrderEvent },
            { "synchronous throw", "ThrowingHandlers::Throws", StringEvent },
            { "asynchronous throw, Task<T>", "ThrowingHandlers::ThrowsAsync", StringEvent },
            { "asynchronous throw, Task", "ThrowingHandlers::FailsAsync", "{}" },
            { "canceled task", "ThrowingHandlers::Canceled", "{}" },
            { "synchronous throw, void", "ThrowingHandlers::ThrowsVoid", OrderEvent },
            { "null task", "ThrowingHandlers::ReturnsNoTask", "{}" },
            { "event the serializer cannot read", "InstanceHandlers::PlaceAsync", "not json" },
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task TheRedirectAnswersAsTheHandlerDoes(string name, string handler, string eventJson)
    {
        var requestId = "diff-" + Guid.NewGuid().ToString("n")[..12];
        var original = Handlers.Invoke(Handlers.Load(Handlers.Function(handler)), eventJson, requestId);

        Outcome redirected;
        using (var redirect = RedirectFixture.LoadRedirect(Handlers.Function(handler)))
        {
            redirected = redirect.Invoke(eventJson, requestId);
        }

        Assert.True(original.Response.AsSpan().SequenceEqual(redirected.Response), $"{name}: the response differs\n  handler:  {original.Text}\n  redirect: {redirected.Text}");
        Assert.Equal(original.Error?.GetType(), redirected.Error?.GetType());
        Assert.Equal(original.Error?.Message, redirected.Error?.Message);

        // Traced, not passed through: the invocation's aws.lambda span arrived, an error exactly when the handler failed.
        var lambda = Assert.Single(await fixture.LambdaSpansAsync(requestId));
        Assert.Equal(original.Error is null ? 0 : 1, lambda.Error);
        if (original.Error is { } error)
        {
            Assert.Equal(error.GetType().FullName, lambda.GetMeta("error.type"));
        }
    }

    [Fact]
    public async Task ATypedResultIsSerializedOnceIntoASeekableStreamAndAStreamResultPassesThrough()
    {
        // What tracing reads the status code and the captured payload from, without configuration.
        using var redirect = RedirectFixture.LoadRedirect(Handlers.Function("InstanceHandlers::ApiAsync"));
        var response = await redirect.Handler.HandleAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Handlers.Event("api-gateway-rest.json"))), new LambdaContextDouble("typed"));
        Assert.True(response.CanSeek);
        Assert.Equal(0, response.Position);
        Assert.StartsWith("{\"statusCode\":201", new StreamReader(response).ReadToEnd(), StringComparison.Ordinal);

        using var echo = RedirectFixture.LoadRedirect(Handlers.Function("StaticHandlers::Echo"));
        var input = new MemoryStream("{\"a\":1}"u8.ToArray());
        Assert.Same(input, await echo.Handler.HandleAsync(input, new LambdaContextDouble("stream")));
    }

    [Fact]
    public async Task AnHttpTriggerGetsTheStatusCodeOfATypedResponse()
    {
        using var redirect = RedirectFixture.LoadRedirect(Handlers.Function("InstanceHandlers::ApiAsync"));
        var outcome = redirect.Invoke(Handlers.Event("api-gateway-rest.json"), "status-typed");

        Assert.Null(outcome.Error);
        var lambda = Assert.Single(await fixture.LambdaSpansAsync("status-typed"));
        Assert.Equal("201", lambda.GetMeta("http.status_code"));
        Assert.Contains(fixture.Emulator.Spans, s => s.Name == "aws.apigateway" && s.TraceId == lambda.TraceId);
    }
}
