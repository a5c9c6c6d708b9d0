// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.SQS.Model;
using Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;
using Datadog.Otel.Lambda.AwsSdk.Tracing;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Configuration;

/// <summary>
/// The default setup (AddDatadogLambda with this distribution's own exporter, and AddDatadogAwsSdkInstrumentation, in
/// either order): with payload tagging on, the attribute limit the AWS SDK package raises reaches the distribution's
/// exporter, so payload tags past OpenTelemetry's 128 arrive at the extension; the user's limit still wins, the larger
/// of the two packages' defaults applies, and with tagging off the limit stays 128. (OpenTelemetry's own OTLP exporter
/// reads the limits layered into the provider's configuration: SdkSpanLimitTests.) Real AWSSDK.SQS calls to fauxqs,
/// exported over loopback to the extension emulator.
/// </summary>
[Trait("Category", "Slow")]
[Collection(AwsSdkCollection.Name)]
public sealed class AwsSdkExporterSpanLimitTests(AwsEmulators emulators) : IDisposable
{
    private const string BodyTag = "aws.request.body.MessageBody.";

    private readonly AwsSdkSettings previous = AwsSdkInstrumentation.Settings;

    public void Dispose() => AwsSdkInstrumentation.Register(this.previous);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PayloadTagsPast128ReachTheDistributionsExporterWhicheverCallComesFirst(bool lambdaFirst)
    {
        var span = await this.SendAsync(lambdaFirst, new() { ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all" }, fields: 300);

        for (var i = 0; i < 300; i++)
        {
            Assert.Equal("v" + i, span.GetMeta(BodyTag + "f" + i));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheLargerOfTheTwoPackagesDefaultsApplies(bool lambdaFirst)
    {
        // Payload capture raises the limit to 2048 in the core; tagging up to 3000 tags raises it to 3256 here.
        var span = await this.SendAsync(
            lambdaFirst,
            new()
            {
                ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
                ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
                ["DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS"] = "3000",
            },
            fields: 2500);

        Assert.Equal(2500, span.Meta.Keys.Count(k => k.StartsWith(BodyTag, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(true, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData(false, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData(true, "OTEL_ATTRIBUTE_COUNT_LIMIT")]
    [InlineData(false, "OTEL_ATTRIBUTE_COUNT_LIMIT")]
    public async Task TheUsersLimitWins(bool lambdaFirst, string limitName)
    {
        var span = await this.SendAsync(lambdaFirst, new() { ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all", [limitName] = "200" }, fields: 300);

        Assert.InRange(span.Meta.Keys.Count(k => k.StartsWith(BodyTag, StringComparison.Ordinal)), 1, 199);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithTaggingOffTheLimitStays128(bool lambdaFirst)
    {
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        using (var provider = Build(emulator, lambdaFirst, new()))
        {
            // No payload tags without tagging: a span of this package's source with as many tags stands in for them.
            await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context("untagged"), (_, _) =>
            {
                using var activity = AwsSdkActivitySource.Source.StartActivity("SQS.SendMessage");
                for (var i = 0; i < 300; i++)
                {
                    activity?.SetTag("many.f" + i, "v" + i);
                }

                return Task.FromResult(0);
            });
        }

        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == "untagged"), EmulatorHarness.Wait);
        var span = trace.Spans.Single(s => s.Meta.ContainsKey("many.f0"));
        Assert.Equal(128, span.Meta.Keys.Count(k => k.StartsWith("many.f", StringComparison.Ordinal)));
    }

    [Fact]
    public void WithoutOpenTelemetrysExporterTheApplicationsConfigurationIsNotReplaced()
    {
        // In a host the provider's services are the application's: replacing its IConfiguration to hand limits to an
        // exporter that reads them directly would hide the host's providers from it (no reload, no disposal).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "Checkout-Fn",
            ["DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING"] = "all",
        }).Build();
        IServiceProvider? services = null;
        using (Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s => s.AddSingleton<IConfiguration>(configuration))
            .AddDatadogLambda()
            .AddDatadogAwsSdkInstrumentation()
            .AddInstrumentation(serviceProvider =>
            {
                services = serviceProvider;
                return new object();
            })
            .Build())
        {
            Assert.Same(configuration, services!.GetRequiredService<IConfiguration>());
        }
    }

    private static TracerProvider Build(ExtensionEmulator.ExtensionEmulator emulator, bool lambdaFirst, Dictionary<string, string?> settings)
    {
        settings["AWS_LAMBDA_FUNCTION_NAME"] = "Checkout-Fn";
        settings["AWS_REGION"] = "us-east-1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Sdk.CreateTracerProviderBuilder().ConfigureServices(services => services.AddSingleton<IConfiguration>(configuration));
        if (!lambdaFirst)
        {
            builder.AddDatadogAwsSdkInstrumentation();
        }

        // The distribution's own exporter, chosen as in the default setup (no exporter option), sending to the emulator.
        builder.AddDatadogLambda(o => o.Endpoint = emulator.TracesEndpoint);
        if (lambdaFirst)
        {
            builder.AddDatadogAwsSdkInstrumentation();
        }

        return builder.Build()!;
    }

    /// <summary>Sends a JSON message body of <paramref name="fields"/> string fields; returns the SendMessage span as Datadog sees it.</summary>
    private async Task<DatadogSpan> SendAsync(bool lambdaFirst, Dictionary<string, string?> settings, int fields)
    {
        await using var emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(new() { Port = 0 });
        var requestId = $"limits-{Guid.NewGuid():N}";
        using (var provider = Build(emulator, lambdaFirst, settings))
        {
            using var sqs = AwsClients.Sqs(emulators);
            var queueUrl = (await sqs.CreateQueueAsync($"limits-{Guid.NewGuid():N}")).QueueUrl;
            var body = "{" + string.Join(',', Enumerable.Range(0, fields).Select(i => $"\"f{i}\":\"v{i}\"")) + "}";
            await DatadogLambda.TraceAsync(provider, EmulatorHarness.Event("{}"), EmulatorHarness.Context(requestId), async (_, _) =>
                await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body }));
        }

        var trace = await emulator.WaitForTraceAsync(t => t.Spans.Any(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == requestId), EmulatorHarness.Wait);
        return trace.Spans.Single(s => s.Resource == "SQS.SendMessage");
    }
}
