using System.Text.Json;
using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.ExtensionEmulator;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace MyFunction.Tests;

public class FunctionTests
{
    [Fact]
    public async Task An_api_gateway_request_is_traced_as_one_aws_lambda_span_under_its_inferred_span()
    {
        // One emulated Datadog extension on a free loopback port, with the DD_SERVICE the function's extension would have.
        await using var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0, Service = "myfunction", Env = "test" });
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(Function.ActivitySourceName)
            .AddDatadogLambda(o =>
            {
                o.ServiceName = "myfunction";
                o.Endpoint = emulator.TracesEndpoint;
            })
            .Build()!;
        var context = new TestLambdaContext("MyFunction", "req-1");

        await using var evt = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", "api-gateway.json"));
        await using var response = await new Function(tracing).Handler(evt, context);

        // The function's result passed through the wrapper unchanged.
        using (var body = await JsonDocument.ParseAsync(response))
        {
            Assert.Equal(200, body.RootElement.GetProperty("statusCode").GetInt32());
        }

        // The wrapper flushed before it returned: the trace is at the emulator, continuing the event's x-datadog headers.
        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda"), TimeSpan.FromSeconds(10));
        Assert.Equal(1234567890123456789UL, trace.TraceId);
        var invocation = trace.Spans.Single(s => s.Name == "aws.lambda");
        Assert.Equal("myfunction", invocation.Service);
        Assert.Equal("MyFunction", invocation.Resource);
        Assert.Equal("req-1", invocation.GetMeta("request_id"));
        Assert.Equal("aws.apigateway", trace.GetParent(invocation)?.Name);

        // The function's own span, named for Datadog, inside the invocation.
        var work = trace.Spans.Single(s => s.Name == "myfunction.handle");
        Assert.Equal(invocation.SpanId, work.ParentId);
    }
}
