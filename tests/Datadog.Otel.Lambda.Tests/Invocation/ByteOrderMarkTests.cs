// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// An event that starts with a UTF-8 byte-order mark. Untraced, <c>JsonSerializer.Deserialize(Stream)</c> skips the mark
/// and the handler runs; traced, every overload must behave the same, and tracing must still see the event (trigger,
/// payload capture).
/// </summary>
[Collection("Tracing")]
public class ByteOrderMarkTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Inputs where the traced typed path must do what the untraced one does: the same event, or the same exception.</summary>
    public static TheoryData<string, byte[]> TypedInputs => new()
    {
        { "mark", [.. Bom, .. "{\"Id\":7,\"Item\":\"book\"}"u8] },
        { "no mark", [.. "{\"Id\":7,\"Item\":\"book\"}"u8] },
        { "two marks", [.. Bom, .. Bom, .. "{\"Id\":7}"u8] },
        { "mark only", [.. Bom] },
        { "empty", [] },
        { "mark after whitespace", [.. " "u8, .. Bom, .. "{}"u8] },
        { "mark and whitespace", [.. Bom, .. " \n{\"Id\":1} "u8] },
        { "UTF-16 mark", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("{\"Id\":1}")] },
        { "mark and null", [.. Bom, .. "null"u8] },
        { "mark and invalid", [.. Bom, .. "{\"Id\":"u8] },
        { "mark and trailing content", [.. Bom, .. "{\"Id\":1} {}"u8] },
    };

    [Theory]
    [MemberData(nameof(TypedInputs))]
    public async Task TypedOverloadsBehaveAsDeserializeFromAStreamDoes(string label, byte[] bytes)
    {
        var expected = Outcome(() => JsonSerializer.Deserialize(new MemoryStream(bytes), TestJsonContext.Default.Order));
        using var tracing = new TestTracing();

        var asyncResult = await OutcomeAsync(() => DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(bytes), TestJsonContext.Default.Order, TestTracing.Context("a"), (o, _) => Task.FromResult<Order?>(o)));
        Order? seen = null;
        var asyncNoResult = await OutcomeAsync(async () =>
        {
            await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(bytes), TestJsonContext.Default.Order, TestTracing.Context("b"), (o, _) =>
            {
                seen = o;
                return Task.CompletedTask;
            });
            return seen;
        });
        var syncResult = Outcome(() => DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes), TestJsonContext.Default.Order, TestTracing.Context("c"), (o, _) => o));
        var syncNoResult = Outcome(() =>
        {
            Order? value = null;
            DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes), TestJsonContext.Default.Order, TestTracing.Context("d"), (o, _) => value = o);
            return value;
        });

        Assert.Equal(expected, asyncResult);
        Assert.Equal(expected, asyncNoResult);
        Assert.Equal(expected, syncResult);
        Assert.Equal(expected, syncNoResult);
        Assert.NotEmpty(label);
    }

    [Fact]
    public async Task TypedOverloadSeesTheTriggerAndThePayloadBehindAMark()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var order = await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(SqsEventWithMark()), TestJsonContext.Default.Order, TestTracing.Context(), (o, _) => Task.FromResult(o));
        Assert.Equal(42, order.Id);
        AssertTraced(tracing);
    }

    [Fact]
    public async Task StreamOverloadGivesTheHandlerTheSameBytesAndSeesTheEvent()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var bytes = SqsEventWithMark();
        var read = await DatadogLambda.TraceAsync(tracing.Provider, new MemoryStream(bytes), TestTracing.Context(), (s, _) =>
        {
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return Task.FromResult(copy.ToArray());
        });
        Assert.Equal(bytes, read);
        AssertTraced(tracing);
    }

    [Fact]
    public void SynchronousStreamOverloadGivesTheHandlerTheSameBytesAndSeesTheEvent()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var bytes = SqsEventWithMark();
        var read = DatadogLambda.Trace(tracing.Provider, new MemoryStream(bytes), TestTracing.Context(), (s, _) =>
        {
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return copy.ToArray();
        });
        Assert.Equal(bytes, read);
        AssertTraced(tracing);
    }

    [Fact]
    public void JsonElementHandlerSeesAnEventWithAMark()
    {
        using var tracing = new TestTracing(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true" });
        var id = DatadogLambda.Trace(tracing.Provider, new MemoryStream(SqsEventWithMark()), TestJsonContext.Default.JsonElement, TestTracing.Context(), (e, _) => e.GetProperty("Id").GetInt32());
        Assert.Equal(42, id);
        AssertTraced(tracing);
    }

    private static byte[] SqsEventWithMark()
    {
        var root = JsonNode.Parse(EventSamples.Load("sqs.json"))!;
        root["Id"] = 42;
        return [.. Bom, .. Encoding.UTF8.GetBytes(root.ToJsonString())];
    }

    private static void AssertTraced(TestTracing tracing)
    {
        var span = tracing.LambdaSpan("req-1");
        Assert.Equal("sqs", span.GetTagItem("function_trigger.event_source"));
        Assert.Equal("42", span.GetTagItem("function.request.Id"));
    }

    private static string Outcome(Func<Order?> run)
    {
        try
        {
            return Describe(run());
        }
        catch (Exception ex)
        {
            return ex.GetType().FullName + ": " + ex.Message;
        }
    }

    private static async Task<string> OutcomeAsync(Func<Task<Order?>> run)
    {
        try
        {
            return Describe(await run());
        }
        catch (Exception ex)
        {
            return ex.GetType().FullName + ": " + ex.Message;
        }
    }

    private static string Describe(Order? order) => order is null ? "null" : $"order {order.Id} {order.Item}";
}
