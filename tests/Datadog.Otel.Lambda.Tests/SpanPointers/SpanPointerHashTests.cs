// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Tests.SpanPointers;

/// <summary>The generic vectors of spec section 7.</summary>
public class SpanPointerHashTests
{
    [Theory]
    [InlineData("2c26b46b68ffc68ff99b453c1d304134", "foo")]
    [InlineData("0fc7e25e075c7849f89b9729d1aeada1", "foo", "bar")]
    [InlineData("527f4b4996d63db7053fd4b376b782a3", "bar", "foo")]
    public void StandardHash(string expected, params string[] components)
    {
        Assert.True(SpanPointerHash.TryCompute(components, out var hash));
        Assert.Equal(expected, hash);
        Assert.Equal(SpanPointerHash.Length, hash.Length);
    }

    [Fact]
    public void BuilderMovesToThePoolAndJoinsTheSame()
    {
        var big = new string('x', 5000);
        Assert.True(SpanPointerHash.TryCompute([big, "y"], out var hash));
        Assert.Equal(SpanPointerHash.Compute(System.Text.Encoding.UTF8.GetBytes(big + "|y")), hash);
    }

    [Fact]
    public void InputBeyondTheBoundIsRefused()
    {
        Assert.False(SpanPointerHash.TryCompute([new string('x', SpanPointerHash.MaxInputBytes), "y"], out _));
        Assert.True(SpanPointerHash.TryCompute([new string('x', SpanPointerHash.MaxInputBytes - 2), "y"], out _));
    }

    [Fact]
    public void LinkCarriesZeroIdsAndThePointerAttributes()
    {
        var link = SpanPointerLink.Create(SpanPointerAttributes.KindS3Object, SpanPointerAttributes.DirectionUpstream, "e721375466d4116ab551213fdea08413");

        Assert.Equal(default, link.Context.TraceId);
        Assert.Equal(default, link.Context.SpanId);
        Assert.Equal("00000000000000000000000000000000", link.Context.TraceId.ToHexString());
        var tags = link.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("aws.s3.object", tags["ptr.kind"]);
        Assert.Equal("u", tags["ptr.dir"]);
        Assert.Equal("e721375466d4116ab551213fdea08413", tags["ptr.hash"]);
        Assert.Equal("span-pointer", tags["link.kind"]);
        Assert.Equal("aws.dynamodb.item", SpanPointerAttributes.KindDynamoDbItem);
        Assert.Equal("d", SpanPointerAttributes.DirectionDownstream);
    }

    [Fact]
    public void LinkSurvivesOnAnActivity()
    {
        using var source = new ActivitySource("span-pointer-test");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "span-pointer-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        var link = SpanPointerLink.Create(SpanPointerAttributes.KindDynamoDbItem, SpanPointerAttributes.DirectionDownstream, "7f1aee721472bcb48701d45c7c7f7821");
        using var activity = source.StartActivity("op", ActivityKind.Client, default(ActivityContext), links: [link]);
        Assert.NotNull(activity);
        Assert.Single(activity.Links);
    }
}
