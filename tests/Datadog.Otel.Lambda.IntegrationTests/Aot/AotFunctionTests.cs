// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

#if NET10_0_OR_GREATER
using System.Text;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.IntegrationTests.Aot;

/// <summary>
/// The Native AOT check: examples/AotFunction roots every assembly of the distribution and publishes with zero trim and
/// AOT warnings (a warning fails the publish: IlcTreatWarningsAsErrors), and the native executable, run as Lambda runs
/// a custom runtime (against the Runtime API emulator), exports its trace to the extension emulator. Runs on the .NET 10
/// leg only: the publish is the same for both and takes a while.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AotFunctionTests : IClassFixture<AotFunctionTests.Published>
{
    private readonly Published published;

    public AotFunctionTests(Published published)
    {
        this.published = published;
    }

    [Fact]
    public void PublishesWithoutTrimOrAotWarnings()
    {
        Assert.True(this.published.ExitCode == 0, this.published.Output);
        Assert.DoesNotMatch(new Regex(@"warning (IL\d{4}|CS\d{4}|NU\d{4})"), this.published.Output);
        Assert.True(File.Exists(this.published.Executable), this.published.Output);
    }

    [Fact]
    public async Task NativeFunctionExportsItsTraceToTheExtension()
    {
        Assert.True(this.published.ExitCode == 0, this.published.Output);
        await using var extension = await ExtensionEmulator.ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { Port = 0 });
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        var output = new StringBuilder();
        using var function = ChildProcess.Start(
            this.published.Executable,
            [],
            new Dictionary<string, string?>
            {
                ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
                ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = extension.TracesEndpoint.ToString(),
                ["AWS_LAMBDA_FUNCTION_NAME"] = "aot-orders",
                ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
                ["AWS_REGION"] = "us-east-1",
                ["DD_SERVICE"] = "aot-orders",
                ["EXIT_AFTER_INVOCATIONS"] = "2",
            },
            output);

        const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:aot-orders";
        var upstream = "{\"x-datadog-trace-id\":\"4242\",\"x-datadog-parent-id\":\"77\",\"x-datadog-sampling-priority\":\"1\"}";
        var sqsEvent = $$$"""
            {"Records":[{"messageId":"m-1","receiptHandle":"r","body":"order 1","attributes":{"SentTimestamp":"{{{DateTimeOffset.UtcNow.AddMilliseconds(-50).ToUnixTimeMilliseconds()}}}"},
            "messageAttributes":{"_datadog":{"stringValue":{{{System.Text.Json.JsonSerializer.Serialize(upstream)}}},"dataType":"String"}},
            "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}
            """;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await runtimeApi.InvokeAsync(sqsEvent, "aot-1", Arn, TimeSpan.FromSeconds(30), timeout.Token);
        var second = await runtimeApi.InvokeAsync("{}", "aot-2", Arn, TimeSpan.FromSeconds(30), timeout.Token);
        await ChildProcess.WaitForExitAsync(function, TimeSpan.FromSeconds(30), output);

        var log = ChildProcess.Snapshot(output);
        Assert.False(first.IsError, first.Body + log);
        Assert.Equal("{\"batchItemFailures\":[]}", first.Body);
        Assert.False(second.IsError, second.Body + log);

        // The trace was exported before the response was posted, so it is already there.
        var trace = extension.Traces.Single(t => t.Spans.Any(s => s.GetMeta("request_id") == "aot-1"));
        var lambda = trace.Spans.Single(s => s.Name == "aws.lambda");
        var sqs = trace.Spans.Single(s => s.Name == "aws.sqs");
        Assert.Equal(4242UL, lambda.TraceId);
        Assert.Equal(sqs.SpanId, lambda.ParentId);
        Assert.Equal(77UL, sqs.ParentId);
        Assert.Equal("true", lambda.GetMeta("cold_start"));
        Assert.Equal("aot-orders", lambda.Service);
        Assert.Contains(extension.Spans, s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "aot-2" && s.GetMeta("cold_start") == "false");

        // The handler's log line carries the ids of the span it was written in (Lambda's text layout).
        Assert.Contains($"[dd.trace_id=4242 dd.span_id={lambda.SpanId}]", log);
        Assert.Contains("message m-1: order 1", log);
    }

    /// <summary>Publishes examples/AotFunction once for the tests of this class.</summary>
    public sealed class Published : IAsyncLifetime
    {
        private readonly string directory = Path.Combine(Path.GetTempPath(), "ddotel-aot-" + Guid.NewGuid().ToString("N"));

        public int ExitCode { get; private set; } = -1;

        public string Output { get; private set; } = string.Empty;

        public string Executable => Path.Combine(this.directory, "bootstrap");

        public async Task InitializeAsync()
        {
            var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
                ChildProcess.Dotnet,
                ["publish", "examples/AotFunction/AotFunction.csproj", "-c", "Release", "-r", "linux-x64", "-o", this.directory, "-nologo", "-clp:NoSummary"],
                TimeSpan.FromMinutes(8),
                RepositoryPaths.Root);
            (this.ExitCode, this.Output) = (exitCode, stdout + stderr);
        }

        public Task DisposeAsync()
        {
            try
            {
                Directory.Delete(this.directory, recursive: true);
            }
            catch (IOException)
            {
            }

            return Task.CompletedTask;
        }
    }
}
#endif
