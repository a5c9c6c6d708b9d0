// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Tests.Propagation;

namespace Datadog.Otel.Lambda.Tests.Sampling;

/// <summary>128-bit ids in Datadog's layout (datadog-lambda-behaviour.md §5.5, datadog-extension-otlp.md §5.2).</summary>
public class DatadogTraceIdGeneratorTests
{
    [Fact]
    public void UpperBits_AreUnixSecondsThenZeros()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = DatadogTraceIdGenerator.New128BitTraceId();
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var upper = DatadogIds.Upper64(id);
        Assert.Equal(0UL, upper & 0xFFFF_FFFF);
        Assert.InRange((long)(upper >> 32), before, after);
        Assert.NotEqual(0UL, DatadogIds.Lower64(id));
    }

    [Fact]
    public void Layout_MatchesTheObservedDatadogId()
    {
        // 69f4ed3a00000000 = 2026-05-01T18:13:14Z (a Step Functions execution's StartTime).
        var seconds = new DateTimeOffset(2026, 5, 1, 18, 13, 14, TimeSpan.Zero).ToUnixTimeSeconds();

        var id = DatadogTraceIdGenerator.Create(seconds, 0xb12b6e05a63cdbd7);

        Assert.Equal("69f4ed3a00000000b12b6e05a63cdbd7", id.ToHexString());
        Assert.Equal("_dd.p.tid=69f4ed3a00000000", Ctx.Inject(new DatadogPropagator(), new ActivityContext(id, DatadogIds.SpanId(1), ActivityTraceFlags.Recorded))["x-datadog-tags"]);
    }

    [Fact]
    public void LowerBits_AreRandom()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(seen.Add(DatadogIds.Lower64(DatadogTraceIdGenerator.New128BitTraceId())));
        }

        // Every bit position varies (the GUID's fixed version and variant bits are not used).
        ulong or = 0;
        var and = ulong.MaxValue;
        foreach (var value in seen)
        {
            or |= value;
            and &= value;
        }

        Assert.Equal(ulong.MaxValue, or);
        Assert.Equal(0UL, and);
    }

    [Fact]
    public void SixtyFourBitMode_HasNoUpperBits()
    {
        var generator = DatadogTraceIdGenerator.FromEnvironment(EnvironmentSource.FromDictionary(new Dictionary<string, string?> { ["DD_TRACE_128_BIT_TRACEID_GENERATION_ENABLED"] = "false" }));

        var id = generator();

        Assert.Equal(0UL, DatadogIds.Upper64(id));
        Assert.NotEqual(0UL, DatadogIds.Lower64(id));
        Assert.Null(Ctx.Inject(new DatadogPropagator(), new ActivityContext(id, DatadogIds.SpanId(1), ActivityTraceFlags.Recorded))["x-datadog-tags"]);
    }

    [Fact]
    public void SixtyFourBitUpstream_ContinuesWithoutInventedUpperBits()
    {
        using var source = new ActivitySource(nameof(SixtyFourBitUpstream_ContinuesWithoutInventedUpperBits));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var upstream = Ctx.Extract(new DatadogPropagator(), Headers.Of(("x-datadog-trace-id", "1234"), ("x-datadog-parent-id", "5"))).ActivityContext;

        using var activity = source.StartActivity("aws.lambda", ActivityKind.Server, upstream)!;
        var headers = Ctx.Inject(new DatadogCompositePropagator(), activity.Context);

        Assert.Equal(0UL, DatadogIds.Upper64(activity.TraceId));
        Assert.Equal("1234", headers["x-datadog-trace-id"]);
        Assert.Null(headers["x-datadog-tags"]);
        Assert.StartsWith("00-000000000000000000000000000004d2-", headers["traceparent"], StringComparison.Ordinal);
    }
}
