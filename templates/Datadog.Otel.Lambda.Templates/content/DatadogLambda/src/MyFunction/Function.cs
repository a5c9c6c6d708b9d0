using System.Diagnostics;
using System.Text;
using Amazon.Lambda.Core;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace MyFunction;

/// <summary>The Lambda function. Handler string: <c>MyFunction::MyFunction.Function::Handler</c>.</summary>
public class Function
{
    /// <summary>The name of the function's own <see cref="ActivitySource"/>, for <c>.AddSource(...)</c>.</summary>
    public const string ActivitySourceName = "MyFunction";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // Built once per execution environment, on the first invocation: propagators, Datadog's sampler, the aws.lambda and
    // inferred spans, OTLP to the Datadog Lambda Extension on 127.0.0.1:4318.
    private static readonly Lazy<TracerProvider> DefaultTracing = new(() => Sdk.CreateTracerProviderBuilder()
        .AddSource(ActivitySourceName)
        .AddDatadogLambda()
        .Build()!);

    private readonly TracerProvider tracing;

    /// <summary>Initializes a new instance of the <see cref="Function"/> class, as Lambda creates it.</summary>
    public Function()
        : this(DefaultTracing.Value)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Function"/> class with a provider of the caller's (tests, local runs).</summary>
    /// <param name="tracing">The tracer provider, built with <c>AddDatadogLambda()</c> and <see cref="ActivitySourceName"/>.</param>
    public Function(TracerProvider tracing) => this.tracing = tracing;

    /// <summary>Lambda's entry point: traces the invocation and flushes its spans before returning.</summary>
    /// <param name="evt">The event, as Lambda delivers it (raw JSON).</param>
    /// <param name="ctx">The invocation's context.</param>
    /// <returns>The response, as Lambda returns it to the caller (an API Gateway proxy response).</returns>
    public Task<Stream> Handler(Stream evt, ILambdaContext ctx) =>
        DatadogLambda.TraceAsync(tracing, evt, ctx.ToDatadog(), HandleAsync);

    private static async Task<Stream> HandleAsync(Stream evt, DatadogLambdaContext ctx)
    {
        // Your code. Activity.Current is the aws.lambda span; spans started here are its children.
        using (var work = Source.StartActivity("handle request"))
        {
            // The two attributes Datadog names a span by (see the README's "Your own spans"), set first.
            work?.SetTag("operation.name", "myfunction.handle");
            work?.SetTag("resource.name", ctx.FunctionName);
            await Task.Yield();
        }

        // The response API Gateway expects from a proxy integration.
        return new MemoryStream(Encoding.UTF8.GetBytes("""{"statusCode":200,"body":"hello from MyFunction"}"""));
    }
}
