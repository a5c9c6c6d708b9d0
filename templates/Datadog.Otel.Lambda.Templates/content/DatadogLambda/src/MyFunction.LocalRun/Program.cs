using Datadog.Otel.Lambda;
using Datadog.Otel.Lambda.ExtensionEmulator;
using MyFunction;
using MyFunction.LocalRun;
using OpenTelemetry;
using OpenTelemetry.Trace;

// Invokes the function once with an event file (the first argument, or events/api-gateway.json), sends its trace to an
// extension emulator listening on 127.0.0.1, and prints the trace as the Datadog Lambda Extension would forward it.
// The HTML trace view (click a span for its tags) is written to traces.html when the emulator stops.
var eventFile = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "events", "api-gateway.json");
var html = Path.GetFullPath("traces.html");

var context = new LocalLambdaContext("MyFunction");
await using (var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0, Service = "myfunction", Env = "local", HtmlReportPath = html }))
{
    using var tracing = Sdk.CreateTracerProviderBuilder()
        .AddSource(Function.ActivitySourceName)
        .AddDatadogLambda(o =>
        {
            o.ServiceName = "myfunction";
            o.Endpoint = emulator.TracesEndpoint;
        })
        .Build()!;

    await using var evt = File.OpenRead(eventFile);
    await using var response = await new Function(tracing).Handler(evt, context);
    using var reader = new StreamReader(response);
    Console.WriteLine($"response: {await reader.ReadToEndAsync()}");

    // The handler flushed before it returned: the trace is at the emulator already.
    var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda"), TimeSpan.FromSeconds(10));
    Console.WriteLine(TraceRenderer.RenderWaterfall(trace));
}
