// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.RuntimeSupport.Bootstrap;
using Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;
using ZeroCodeFunction;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.Redirect;

/// <summary>
/// Initialization and configuration: what fails initialization (and how the runtime reports it), the handler's class
/// created once, concurrent invocations on one instance, DD_TRACE_ENABLED=false, a provider that cannot be built, and
/// a handler that already wraps itself.
/// </summary>
[Collection(RedirectCollection.Name)]
public sealed class InitializationTests(RedirectFixture fixture)
{
    private const string OrderEvent = """{"Id":7,"Item":"book","Quantity":3}""";

    public static TheoryData<string?, string> BadSettings() => new()
    {
        { null, "is not set" },
        { string.Empty, "is not set" },
        { "   ", "is not set" },
        { "Function", "expected Assembly::Namespace.Type::Method" },
        { "Function::Handler", "expected Assembly::Namespace.Type::Method" },
        { "Function:: ::Handler", "expected Assembly::Namespace.Type::Method" },
        { Handlers.Redirect, "names this redirect itself" },
        { Handlers.FunctionAssembly + "::Datadog.Otel.Lambda.DatadogLambdaHandler::System.Threading.Tasks.Task`1[System.IO.Stream] HandleAsync(System.IO.Stream, Amazon.Lambda.Core.ILambdaContext)", "names this redirect itself" },
    };

    /// <summary>Handlers the runtime itself refuses at initialization: the redirect refuses them too.</summary>
    public static TheoryData<string, string> RefusedHandlers() => new()
    {
        { "No.Such.Assembly::No.Type::Handle", "cannot be loaded" },
        { Handlers.Function("NoSuchType::Handle"), "is not in the assembly" },
        { Handlers.Function("InstanceHandlers::NoSuchMethod"), "no method NoSuchMethod" },
        { Handlers.Function("OverloadedHandlers::Handle"), "several methods named Handle" },
        { Handlers.Function("RefusedHandlers::TooMany"), "at most two" },
        { Handlers.Function("RefusedHandlers::SecondNotContext"), "is not an Amazon.Lambda.Core.ILambdaContext" },
        { Handlers.Function("RefusedHandlers::Generic"), "is generic" },
        { Handlers.Function("RefusedHandlers::AsyncVoid"), "async void" },
        { Handlers.Function("RefusedHandlers::Params"), "params array" },
        { Handlers.Function("AbstractHandlers::Handle"), "is abstract" },
        { "Datadog.Otel.Lambda.ZeroCode.Tests::Datadog.Otel.Lambda.ZeroCode.Tests.NoSerializerFunction::Handle", "needs a serializer" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void AMissingMalformedOrSelfReferringSettingFailsInitializationNamingTheVariable(string? setting, string reason)
    {
        var failure = Assert.Throws<TargetInvocationException>(() => RedirectFixture.LoadRedirect(setting).Dispose());

        // As the runtime reports an exception from a handler's constructor: the cause says what to fix.
        var cause = Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains("DD_LAMBDA_HANDLER", cause.Message, StringComparison.Ordinal);
        Assert.Contains(reason, cause.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedHandlers))]
    public void AHandlerTheRuntimeRefusesFailsInitializationThroughTheRedirectToo(string handler, string reason)
    {
        Assert.Throws<LambdaValidationException>(() => Handlers.Load(handler));

        var failure = Assert.Throws<TargetInvocationException>(() => RedirectFixture.LoadRedirect(handler).Dispose());
        var cause = Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains("DD_LAMBDA_HANDLER='" + handler + "'", cause.Message, StringComparison.Ordinal);
        Assert.Contains(reason, cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingConstructorIsReportedAsTheRuntimeReportsIt()
    {
        var handler = Handlers.Function("ThrowingConstructor::Handle");
        var direct = Assert.Throws<TargetInvocationException>(() => Handlers.Load(handler));
        var redirected = Assert.Throws<TargetInvocationException>(() => RedirectFixture.LoadRedirect(handler).Dispose());

        // One TargetInvocationException around the constructor's own exception, either way.
        Assert.Equal(direct.InnerException!.GetType(), redirected.InnerException!.GetType());
        Assert.Equal(direct.InnerException.Message, redirected.InnerException.Message);
    }

    [Fact]
    public async Task TheHandlersClassIsCreatedOnceAndServesAThousandConcurrentInvocations()
    {
        var instancesBefore = CountingHandlers.Instances;
        var callsBefore = CountingHandlers.Calls;
        using var redirect = RedirectFixture.LoadRedirect(Handlers.Function("CountingHandlers::CountAsync"));
        Assert.Equal(instancesBefore + 1, CountingHandlers.Instances);

        // As under Lambda Managed Instances: many invocations on the one instance at once.
        var invocations = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var requestId = $"concurrent-{i}";
            var input = new MemoryStream(Encoding.UTF8.GetBytes($"{{\"Id\":{i},\"Item\":\"x\",\"Quantity\":1}}"));
            var response = await redirect.Handler.HandleAsync(input, new LambdaContextDouble(requestId));
            return (i, requestId, Receipt: JsonSerializer.Deserialize<Receipt>(response)!);
        })).ToList();
        var results = await Task.WhenAll(invocations).WaitAsync(RedirectFixture.Wait);

        Assert.All(results, r =>
        {
            Assert.Equal(r.i, r.Receipt.OrderId);
            Assert.Equal(r.requestId, r.Receipt.RequestId);
        });
        Assert.Equal(instancesBefore + 1, CountingHandlers.Instances);
        Assert.Equal(callsBefore + 1000, CountingHandlers.Calls);
        var spans = await fixture.Emulator.WaitForSpansAsync(s => s.Name == "aws.lambda" && s.GetMeta("request_id")?.StartsWith("concurrent-", StringComparison.Ordinal) == true, 1000, RedirectFixture.Wait);
        Assert.Equal(1000, spans.Select(s => s.GetMeta("request_id")).Distinct().Count());
    }

    [Fact]
    public async Task WithTracingDisabledTheRedirectIsAPassThrough()
    {
        var handler = Handlers.Function("InstanceHandlers::PlaceAsync");
        var original = Handlers.Invoke(Handlers.Load(handler), OrderEvent, "disabled");
        using (var disabled = RedirectFixture.LoadRedirect(handler, new Dictionary<string, string?> { ["DD_TRACE_ENABLED"] = "false" }))
        {
            Assert.Equal(original.Text, disabled.Invoke(OrderEvent, "disabled").Text);
        }

        // A traced invocation afterwards arrives; the disabled one, exported (had it been traced) before it returned, never did.
        using (var enabled = RedirectFixture.LoadRedirect(handler))
        {
            Assert.Equal(original.Text.Replace("disabled", "enabled-after", StringComparison.Ordinal), enabled.Invoke(OrderEvent, "enabled-after").Text);
        }

        await fixture.LambdaSpansAsync("enabled-after");
        Assert.False(fixture.Received("disabled"));
    }

    [Fact]
    public async Task WhenTheProviderCannotBeBuiltTheFunctionRunsUntracedAndSaysWhy()
    {
        var handler = Handlers.Function("InstanceHandlers::PlaceAsync");
        var original = Handlers.Invoke(Handlers.Load(handler), OrderEvent, "untraced");
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        RedirectScope failing;
        try
        {
            failing = RedirectFixture.LoadRedirect(handler, new Dictionary<string, string?> { ["ZEROCODE_TEST_FAIL_TRACING"] = "true" });
        }
        finally
        {
            Console.SetError(previous);
        }

        using (failing)
        {
            Assert.Contains("the tracer provider could not be built; the function runs untraced", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("the test asked the provider to fail", stderr.ToString(), StringComparison.Ordinal);
            Assert.Equal(original.Text, failing.Invoke(OrderEvent, "untraced").Text);
            var thrown = failing.Invoke("not json", "untraced-error");
            Assert.Equal("JsonSerializerException", thrown.Error?.GetType().Name);
        }

        using (var traced = RedirectFixture.LoadRedirect(handler))
        {
            traced.Invoke(OrderEvent, "traced-after");
        }

        await fixture.LambdaSpansAsync("traced-after");
        Assert.False(fixture.Received("untraced"));
        Assert.False(fixture.Received("untraced-error"));
    }

    [Fact]
    public async Task AHandlerThatWrapsItselfIsTracedOnce()
    {
        // The README's in-code wrap (its own provider, DatadogLambda.TraceAsync) behind the redirect: one aws.lambda span.
        using var redirect = RedirectFixture.LoadRedirect(Handlers.Function("InCodeOrdersFunction::Handler"));
        var outcome = redirect.Invoke(Handlers.Event("api-gateway-rest.json"), "self-wrapped");

        Assert.Null(outcome.Error);
        Assert.Contains("\"statusCode\":201", outcome.Text, StringComparison.Ordinal);
        var lambda = Assert.Single(await fixture.LambdaSpansAsync("self-wrapped"));
        Assert.Equal("201", lambda.GetMeta("http.status_code"));

        // Both providers export to the emulator, and each export has ended before the invocation returned.
        Assert.Single(fixture.Emulator.Spans, s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "self-wrapped");
        Assert.Single(fixture.Emulator.Spans, s => s.Name == "aws.apigateway" && s.TraceId == lambda.TraceId);
        Assert.Single(fixture.Emulator.Spans, s => s.OtelName == "orders.lookup" && s.TraceId == lambda.TraceId);
    }
}
