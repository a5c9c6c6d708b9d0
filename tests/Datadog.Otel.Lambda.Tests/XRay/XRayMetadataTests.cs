// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Datadog.Otel.Lambda.XRay;

namespace Datadog.Otel.Lambda.Tests.XRay;

/// <summary>The datadog-metadata subsegments, received by a real UDP socket on 127.0.0.1 standing in for the X-Ray daemon.</summary>
[Collection("Tracing")]
public sealed class XRayMetadataTests : IDisposable
{
    private const string XRayHeader = "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1;Lineage=c6c5b1b9:0";
    private readonly UdpClient daemon = new(new IPEndPoint(IPAddress.Loopback, 0));

    private string Address => "127.0.0.1:" + ((IPEndPoint)this.daemon.Client.LocalEndPoint!).Port;

    public void Dispose() => this.daemon.Dispose();

    [Fact]
    public async Task EventContextIsSentAsTraceMetadataUnderTheXRaySegment()
    {
        using var tracing = new TestTracing(new() { ["AWS_XRAY_DAEMON_ADDRESS"] = this.Address });
        var evt = """{"headers":{"x-datadog-trace-id":"3047453991382739997","x-datadog-parent-id":"3047453991382739997","x-datadog-sampling-priority":"1"}}""";
        var context = new DatadogLambdaContext { AwsRequestId = "x", XRayTraceHeader = XRayHeader };
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(evt), context, (_, _) => Task.FromResult(0));

        var (header, subsegment) = await this.ReceiveAsync();
        Assert.Equal("{\"format\": \"json\", \"version\": 1}", header);
        Assert.Equal("1-5e272390-8c398be037738dc042009320", subsegment.GetProperty("trace_id").GetString());
        Assert.Equal("94ae789b969f1cc5", subsegment.GetProperty("parent_id").GetString());
        Assert.Equal("datadog-metadata", subsegment.GetProperty("name").GetString());
        Assert.Equal("subsegment", subsegment.GetProperty("type").GetString());
        Assert.Equal(16, subsegment.GetProperty("id").GetString()!.Length);
        Assert.Equal(subsegment.GetProperty("start_time").GetDouble(), subsegment.GetProperty("end_time").GetDouble());
        var trace = subsegment.GetProperty("metadata").GetProperty("datadog").GetProperty("trace");
        Assert.Equal("3047453991382739997", trace.GetProperty("trace-id").GetString());
        Assert.Equal("3047453991382739997", trace.GetProperty("parent-id").GetString());
        Assert.Equal("1", trace.GetProperty("sampling-priority").GetString());
    }

    [Fact]
    public async Task WithMergingTheTraceMetadataStillNamesTheEventsParent()
    {
        // Merging parents the spans under the X-Ray segment; the metadata must still carry the event's Datadog parent (as
        // both Datadog libraries send it), not the X-Ray Parent that replaced it.
        using var tracing = new TestTracing(new() { ["AWS_XRAY_DAEMON_ADDRESS"] = this.Address, ["DD_MERGE_XRAY_TRACES"] = "true" });
        var evt = """{"headers":{"x-datadog-trace-id":"3047453991382739997","x-datadog-parent-id":"1717171717171717171","x-datadog-sampling-priority":"2"}}""";
        var context = new DatadogLambdaContext { AwsRequestId = "x", XRayTraceHeader = XRayHeader };
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(evt), context, (_, _) => Task.FromResult(0));

        var (_, subsegment) = await this.ReceiveAsync();
        var trace = subsegment.GetProperty("metadata").GetProperty("datadog").GetProperty("trace");
        Assert.Equal("3047453991382739997", trace.GetProperty("trace-id").GetString());
        Assert.Equal("1717171717171717171", trace.GetProperty("parent-id").GetString());
        Assert.Equal("2", trace.GetProperty("sampling-priority").GetString());

        // The spans themselves continue under the X-Ray Lambda segment (Python's behaviour with merging on).
        Assert.Equal("94ae789b969f1cc5", tracing.LambdaSpan("x").ParentSpanId.ToHexString());
    }

    [Fact]
    public async Task TriggerTagsAreSentAtTheEnd()
    {
        using var tracing = new TestTracing(new() { ["AWS_XRAY_DAEMON_ADDRESS"] = this.Address });
        var context = new DatadogLambdaContext { AwsRequestId = "x", XRayTraceHeader = XRayHeader, InvokedFunctionArn = "arn:aws:lambda:us-west-1:123457598159:function:f" };
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("api-gateway-rest.json")), context, (_, _) => Task.FromResult("{\"statusCode\":200}"));

        _ = await this.ReceiveAsync();
        var (_, subsegment) = await this.ReceiveAsync();
        var tags = subsegment.GetProperty("metadata").GetProperty("datadog").GetProperty("lambda_function_tags");
        Assert.Equal("api-gateway", tags.GetProperty("function_trigger.event_source").GetString());
        Assert.Equal("arn:aws:apigateway:us-west-1::/restapis/1234567890/stages/prod", tags.GetProperty("function_trigger.event_source_arn").GetString());
        Assert.Equal("POST", tags.GetProperty("http.method").GetString());
        Assert.Equal("200", tags.GetProperty("http.status_code").GetString());
    }

    [Theory]
    [InlineData("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=0")]
    [InlineData("Root=1-5e272390-8c398be037738dc042009320;Sampled=1")]
    [InlineData("garbage")]
    public async Task NothingIsSentForUnsampledOrUnusableHeaders(string header)
    {
        using var tracing = new TestTracing(new() { ["AWS_XRAY_DAEMON_ADDRESS"] = this.Address });
        var evt = """{"headers":{"x-datadog-trace-id":"1","x-datadog-parent-id":"2","x-datadog-sampling-priority":"1"}}""";
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(evt), new DatadogLambdaContext { AwsRequestId = "x", XRayTraceHeader = header }, (_, _) => Task.FromResult(0));

        // A control datagram sent after the invocation arrives first only if the invocation sent nothing.
        using var control = new UdpClient();
        await control.SendAsync("control"u8.ToArray(), (IPEndPoint)this.daemon.Client.LocalEndPoint!);
        var received = await this.daemon.ReceiveAsync(new CancellationTokenSource(5000).Token);
        Assert.Equal("control", Encoding.UTF8.GetString(received.Buffer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("xray.internal:2000")]
    [InlineData(":2000")]
    public void MalformedAddressesDisableSending(string? address)
    {
        using var client = new XRayDaemonClient(address, TimeProvider.System);
        Assert.False(client.IsEnabled);
    }

    [Theory]
    [InlineData("169.254.79.129:2000")]
    [InlineData("localhost:2000")]
    [InlineData("[::1]:2000")]
    public void AcceptsIpAndLocalhostAddresses(string address)
    {
        using var client = new XRayDaemonClient(address, TimeProvider.System);
        Assert.True(client.IsEnabled);
    }

    [Fact]
    public async Task SubsegmentIdsDoNotRepeatWhenTheThreadsRandomStateIsRestored()
    {
        // A SnapStart restore gives every sandbox the snapshot's per-thread state of Random.Shared; played here by
        // capturing this thread's state and putting it back between two sends (Random.Shared's state is private:
        // reflection, see SharedRandomState).
        using var client = new XRayDaemonClient(this.Address, TimeProvider.System);
        Assert.True(Datadog.Otel.Lambda.Propagation.XRayTraceHeader.TryParse(XRayHeader, out var header));
        _ = Random.Shared.Next();
        var snapshot = SharedRandomState.Capture();
        client.Send(header, XRayHeader, "trace", w => w.WriteStringValue("a"));
        SharedRandomState.Restore(snapshot);
        client.Send(header, XRayHeader, "trace", w => w.WriteStringValue("b"));

        var (_, first) = await this.ReceiveAsync();
        var (_, second) = await this.ReceiveAsync();
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task StepFunctionsTriggerTagsAreOnlyTheEventSource()
    {
        // Python sends its trigger tags, which for a states event are the event source and the state machine's ARN.
        using var tracing = new TestTracing(new() { ["AWS_XRAY_DAEMON_ADDRESS"] = this.Address });
        var context = new DatadogLambdaContext { AwsRequestId = "x", XRayTraceHeader = XRayHeader };
        var evt = """{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:Flow:9f3c","RedriveCount":0},"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:Flow"},"State":{"Name":"Charge","EnteredTime":"2026-11-25T10:00:00.000Z","RetryCount":0}}""";
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(evt), context, (_, _) => Task.FromResult(0));

        JsonElement tags;
        do
        {
            var (_, subsegment) = await this.ReceiveAsync();
            tags = subsegment.GetProperty("metadata").GetProperty("datadog");
        }
        while (!tags.TryGetProperty("lambda_function_tags", out tags));

        Assert.Equal(
            ["function_trigger.event_source=states", "function_trigger.event_source_arn=arn:aws:states:us-east-1:123456789012:stateMachine:Flow"],
            tags.EnumerateObject().Select(p => p.Name + "=" + p.Value.GetString()).Order(StringComparer.Ordinal));
    }

    private async Task<(string Header, JsonElement Subsegment)> ReceiveAsync()
    {
        var received = await this.daemon.ReceiveAsync(new CancellationTokenSource(5000).Token);
        var text = Encoding.UTF8.GetString(received.Buffer);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (text[..newline], JsonDocument.Parse(text[(newline + 1)..]).RootElement);
    }
}
