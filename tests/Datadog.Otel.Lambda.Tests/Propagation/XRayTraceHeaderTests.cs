// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

/// <summary>Vectors of datadog-lambda-behaviour.md §5.6 and §6, and datadog-extension-otlp.md §6.</summary>
public class XRayTraceHeaderTests
{
    private static XRayTraceHeader Parse(string header)
    {
        Assert.True(XRayTraceHeader.TryParse(header, out var parsed), header);
        return parsed;
    }

    [Fact]
    public void ConvertsToDatadogIdsAndPriority()
    {
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1");

        Assert.Equal(3995693151288333088UL, header.DatadogTraceId);
        Assert.Equal(10713633173203262661UL, header.ParentId);
        Assert.Equal(2, header.DatadogSamplingPriority);
        Assert.False(header.IsDatadogContext);
    }

    [Theory]
    [InlineData("00000000e1be46a994272793", 7043144561403045779UL)]
    [InlineData("bd862e3fe1be46a994272793", 7043144561403045779UL)]
    [InlineData("ffffffffffffffffffffffff", 9223372036854775807UL)]
    [InlineData("2c779014b90ce44db5e03875", 4110911582297405557UL)]
    [InlineData("ac779014b90ce44db5e03875", 4110911582297405557UL)]
    public void DatadogTraceId_IsTheLower63BitsOfTheRoot(string random, ulong expected)
    {
        var epoch = random.StartsWith("2c", StringComparison.Ordinal) || random.StartsWith("ac", StringComparison.Ordinal) ? "5ce31dc2" : "5e272390";

        var header = Parse($"Root=1-{epoch}-{random};Parent=94ae789b969f1cc5;Sampled=1");

        Assert.Equal(expected, header.DatadogTraceId);
    }

    [Theory]
    [InlineData("53995c3f42cd8ad8", 6023947403358210776UL)]
    [InlineData("1000000000000000", 1152921504606846976UL)]
    [InlineData("ffffffffffffffff", 18446744073709551615UL)]
    [InlineData("0b11cc4230d3e09e", 797643193680388254UL)]
    public void ParentId_IsTheParentHex(string parent, ulong expected)
    {
        var header = Parse($"Root=1-5e272390-8c398be037738dc042009320;Parent={parent};Sampled=1");

        Assert.True(header.HasParent);
        Assert.Equal(expected, header.ParentId);
    }

    [Theory]
    [InlineData("Root=1-65eb7350-000000006dfd06bf489aa4e5;Parent=48cc02b6aafae897;Sampled=1", 7925498337868555493UL, 5245570649555658903UL, 1)]
    [InlineData("Root=1-664616b6-00000000425c5f4f8367f57e;Parent=6b971d513e9f9847;Sampled=1", 4781801699472307582UL, 7752697518321801287UL, 1)]
    [InlineData("Root=1-65f2f78c-0000000008addb5405b376c0;Parent=5abcb7ed643995c7;Sampled=1", 625397077193750208UL, 6538302989251745223UL, 1)]
    [InlineData("Root=1-68029e8a-0000000035578e774943fd9d;Parent=76c040bdc454a7ac;Sampled=1", 3843697449965452701UL, 8556910475790821292UL, 1)]
    [InlineData("Root=1-68029e8a-0000000035578e774943fd9d;Parent=76c040bdc454a7ac;Sampled=0", 3843697449965452701UL, 8556910475790821292UL, 0)]
    public void DatadogContextInsideXRay_IsDetectedAndConverted(string value, ulong traceId, ulong parentId, int priority)
    {
        var header = Parse(value);

        Assert.True(header.IsDatadogContext);
        Assert.Equal(traceId, header.DatadogContextTraceId);
        Assert.Equal(parentId, header.ParentId);
        Assert.Equal(priority, header.DatadogContextSamplingPriority);
    }

    [Fact]
    public void DatadogContextInsideXRay_KeepsAll64Bits()
    {
        var header = Parse("Root=1-65eb7350-00000000ffffffffffffffff;Parent=48cc02b6aafae897;Sampled=1");

        Assert.Equal(ulong.MaxValue, header.DatadogContextTraceId);
        Assert.Equal(long.MaxValue, (long)header.DatadogTraceId);
    }

    [Theory]
    [InlineData("Sampled=1;Parent=94ae789b969f1cc5;Root=1-5e272390-8c398be037738dc042009320")]
    [InlineData("Root=1-5e272390-8c398be037738dc042009320;Lineage=c6c5b1b9:0;Parent=94ae789b969f1cc5;Sampled=1")]
    [InlineData(" Root = 1-5e272390-8c398be037738dc042009320 ; parent=94ae789b969f1cc5;SAMPLED=1;")]
    [InlineData("Self=1-5e272390-000000000000000000000001;Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1")]
    public void FieldsInAnyOrder_OtherFieldsTolerated(string value)
    {
        var header = Parse(value);

        Assert.Equal(3995693151288333088UL, header.DatadogTraceId);
        Assert.Equal(10713633173203262661UL, header.ParentId);
        Assert.Equal(XRaySampled.Sampled, header.Sampled);
        Assert.Equal("1-5e272390-8c398be037738dc042009320", value[header.RootRange]);
        Assert.Equal("94ae789b969f1cc5", value[header.ParentRange]);
    }

    [Theory]
    [InlineData("Sampled=?", "Requested")]
    [InlineData("Sampled=0", "NotSampled")]
    [InlineData("Sampled=1", "Sampled")]
    [InlineData("Sampled=2", "Unknown")]
    [InlineData("Sampled=", "Unknown")]
    [InlineData("Lineage=a:1", "Unknown")]
    public void Sampled_IsReadWhenPresent(string field, string expectedName)
    {
        var expected = Enum.Parse<XRaySampled>(expectedName);
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;" + field);

        Assert.Equal(expected, header.Sampled);
        Assert.Equal(expected == XRaySampled.Sampled ? 2 : -1, header.DatadogSamplingPriority);
    }

    [Fact]
    public void RootOnly_ParsesWithoutParent()
    {
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;Lineage=1:73f724a8:0");

        Assert.False(header.HasParent);
        Assert.Equal(default, header.ParentSpanId);
        Assert.Equal(XRaySampled.Unknown, header.Sampled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Parent=94ae789b969f1cc5;Sampled=1")]
    [InlineData("Root=2-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5")]
    [InlineData("Root=1-5e27239-08c398be037738dc042009320;Parent=94ae789b969f1cc5")]
    [InlineData("Root=1-5e272390-8c398be037738dc04200932;Parent=94ae789b969f1cc5")]
    [InlineData("Root=1-5e272390-8c398be037738dc0420093200;Parent=94ae789b969f1cc5")]
    [InlineData("Root=1-5e272390-8c398be037738dc04200932g;Parent=94ae789b969f1cc5")]
    [InlineData("Root=1-5e272390_8c398be037738dc042009320;Parent=94ae789b969f1cc5")]
    public void InvalidRoot_IsRejected(string value)
    {
        Assert.False(XRayTraceHeader.TryParse(value, out _));
    }

    [Theory]
    [InlineData("Parent=94ae789b969f1cc")]
    [InlineData("Parent=94ae789b969f1cc55")]
    [InlineData("Parent=94ae789b969f1ccg")]
    [InlineData("Parent=0000000000000000")]
    public void InvalidParent_CountsAsAbsent(string field)
    {
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;" + field + ";Sampled=1");

        Assert.False(header.HasParent);
    }

    [Fact]
    public void TryGetField_FindsAnyField()
    {
        const string value = "Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1;Lineage=c6c5b1b9:0";

        Assert.True(XRayTraceHeader.TryGetField(value, "Lineage", out var lineage));
        Assert.Equal("c6c5b1b9:0", value[lineage]);
        Assert.False(XRayTraceHeader.TryGetField(value, "Self", out _));
    }

    [Fact]
    public void FormatRoot_RebuildsTheRootForTheMetadataSubsegment()
    {
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5;Sampled=1;Lineage=c6c5b1b9:0");

        Assert.Equal("1-5e272390-8c398be037738dc042009320", header.FormatRoot());
    }

    [Fact]
    public void FormatDatadogContext_WritesTheDatadogForm()
    {
        var value = XRayTraceHeader.FormatDatadogContext(0x65eb7350, 7925498337868555493UL, 5245570649555658903UL, sampled: true);

        Assert.Equal("Root=1-65eb7350-000000006dfd06bf489aa4e5;Parent=48cc02b6aafae897;Sampled=1", value);
        var header = Parse(value);
        Assert.True(header.IsDatadogContext);
        Assert.Equal(7925498337868555493UL, header.DatadogContextTraceId);
    }

    [Fact]
    public void TraceId_IsEpochAndRandomAs128Bits()
    {
        var header = Parse("Root=1-5e272390-8c398be037738dc042009320;Parent=94ae789b969f1cc5");

        Assert.Equal("5e2723908c398be037738dc042009320", header.TraceId.ToHexString());
        Assert.Equal("94ae789b969f1cc5", header.ParentSpanId.ToHexString());
    }
}
