// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Differential.Tests.Comparison;
using Datadog.Otel.Lambda.Differential.Tests.Corpus;
using Datadog.Otel.Lambda.ExtensionEmulator;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Differential.Tests.Library;

/// <summary>
/// Runs corpus cases through this library as a user runs it: a tracer provider built with <c>AddDatadogLambda</c>
/// (settings from the same environment variables the Node.js side gets) and the handler wrapped by
/// <see cref="DatadogLambda.TraceAsync{TResult}(OpenTelemetry.Trace.TracerProvider?, Stream, DatadogLambdaContext, Func{Stream, DatadogLambdaContext, Task{TResult}})"/>,
/// exporting OTLP http/protobuf over loopback to the extension emulator, which maps the spans to what the Datadog
/// extension forwards. A new provider per case makes every invocation a cold start, as a new Node.js process does on the
/// other side. Cases run one at a time: every provider listens to the same activity source.
/// </summary>
internal sealed class LibraryUnderTest
{
    public static readonly TimeSpan TraceTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long before the first invocation the sandbox started initialising (the cold-start span's length).</summary>
    private static readonly TimeSpan InitDuration = TimeSpan.FromMilliseconds(250);

    private readonly ExtensionEmulator.ExtensionEmulator emulator;

    public LibraryUnderTest(ExtensionEmulator.ExtensionEmulator emulator)
    {
        this.emulator = emulator;
    }

    public Task<SideRun> RunAsync(CorpusCase corpusCase, string? xrayDaemonAddress) => this.RunAsync(corpusCase, xrayDaemonAddress, instrument: null, work: null);

    /// <summary>
    /// Runs the case as a function that also does <paramref name="work"/> (calls other services) before it answers, with
    /// the provider's further instrumentation added by <paramref name="instrument"/> (the AWS SDK, HttpClient): the
    /// producing function of the interop tests.
    /// </summary>
    public async Task<SideRun> RunAsync(CorpusCase corpusCase, string? xrayDaemonAddress, Func<TracerProviderBuilder, TracerProviderBuilder>? instrument, Func<Task>? work)
    {
        this.emulator.Clear();
        var environment = LambdaEnvironment.Common(corpusCase).ToDictionary(p => p.Key, p => (string?)p.Value);
        if (xrayDaemonAddress is not null)
        {
            environment["AWS_XRAY_DAEMON_ADDRESS"] = xrayDaemonAddress;
        }

        var initTime = DateTimeOffset.UtcNow - InitDuration;
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddDatadogLambda(o =>
            {
                o.Environment = EnvironmentSource.FromDictionary(environment);
                o.Exporter = DatadogLambdaExporter.Extension;
                o.Endpoint = this.emulator.TracesEndpoint;
                o.InitTime = () => initTime;
            });
        using var provider = (instrument is null ? builder : instrument(builder)).Build()!;

        var context = new DatadogLambdaContext
        {
            AwsRequestId = corpusCase.RequestId,
            InvokedFunctionArn = LambdaEnvironment.FunctionArn,
            FunctionName = LambdaEnvironment.FunctionName,
            FunctionVersion = LambdaEnvironment.FunctionVersion,
            MemoryLimitInMB = LambdaEnvironment.MemoryMb,
            LogGroupName = LambdaEnvironment.LogGroupName,
            LogStreamName = LambdaEnvironment.LogStreamName,
            Deadline = DateTimeOffset.UtcNow + LambdaEnvironment.Timeout,
            ClientContextCustom = corpusCase.ClientContextCustom,
            XRayTraceHeader = corpusCase.XRayTraceHeader,
        };

        SideResult result;
        try
        {
            using var input = new MemoryStream(Encoding.UTF8.GetBytes(corpusCase.EventJson));
            var value = await DatadogLambda.TraceAsync<object?>(provider, input, context, async (_, _) =>
            {
                if (work is not null)
                {
                    await work();
                }

                return await Handle(corpusCase.Result);
            });
            result = new SideResult(value is JsonElement element ? JsonNode.Parse(element.GetRawText()) : null, null);
        }
        catch (CorpusHandlerException ex)
        {
            result = new SideResult(null, ex.Message);
        }

        var trace = await this.emulator.WaitForTraceAsync(
            t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == corpusCase.RequestId),
            TraceTimeout);
        return new SideRun(trace.Spans, result, string.Empty);
    }

    /// <summary>The function under test, as node-handler.cjs on the other side: work, then return or throw what the case says.</summary>
    private static async Task<object?> Handle(JsonObject spec)
    {
        await Task.Delay(LambdaEnvironment.WorkMilliseconds);
        if (spec["throw"] is { } message)
        {
            throw new CorpusHandlerException(message.GetValue<string>());
        }

        var value = spec["return"];
        return value is null ? null : JsonDocument.Parse(value.ToJsonString()).RootElement.Clone();
    }

    /// <summary>What the corpus handler throws (the exception type is .NET's, the message the case's).</summary>
    private sealed class CorpusHandlerException(string message) : Exception(message);
}
