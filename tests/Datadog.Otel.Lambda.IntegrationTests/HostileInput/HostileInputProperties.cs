// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using FsCheck;
using FsCheck.Fluent;
using Datadog.Otel.Lambda.Fuzzing;
using Datadog.Otel.Lambda.IntegrationTests.Reliability;
using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// Property-based tests over hostile events, at the cheapest layer that runs the real code: the fuzz targets, which
/// call trigger detection, every trigger's description, upstream extraction, payload capture and the propagators
/// directly (no span, no export), so that a failure those layers would swallow to protect the function is seen here.
/// Per case: no exception, no "tracing failed" diagnostic, tag counts and lengths within their bounds (checked by the
/// targets), and allocation bounded by the input and the output (below). The whole-wrapper view (the handler's result
/// unchanged) is in <see cref="WrapperHostileInputTests"/>.
/// </summary>
public class HostileInputProperties(ITestOutputHelper output)
{
    /// <summary>Allocation allowed per byte of input: a copy, the parsed document, UTF-16 strings, decoded payloads.</summary>
    public const int AllocationPerInputByte = 24;

    /// <summary>Allocation allowed per character of payload tags written (UTF-16 keys and values, the key builder).</summary>
    public const int AllocationPerTagCharacter = 6;

    /// <summary>Fixed allocation allowed per case (descriptions, contexts, pooled buffers grown once).</summary>
    public const int AllocationOverhead = 256 * 1024;

    [Trait("Category", "Slow")]
    [Fact]
    public void MutatedEventsOfEveryTrigger()
    {
        var triggers = new HashSet<string>();
        var ran = PropertyRun.Check(HostileEvents.MutatedCorpus(), ReliabilityFigures.MutatedCorpusCases, c =>
        {
            if (RunEvent(c).Trigger is { } trigger)
            {
                triggers.Add(trigger);
            }
        });
        Assert.Equal(ReliabilityFigures.MutatedCorpusCases, ran);
        ReliabilityFigures.Record("hostile.MutatedCorpusCases", ran);

        // Every trigger of the corpus was reached by mutated events.
        Assert.Superset(new HashSet<string> { "ApiGatewayRest", "ApiGatewayHttp", "ApiGatewayWebSocket", "FunctionUrl", "ApplicationLoadBalancer", "Sqs", "Sns", "Kinesis", "DynamoDb", "S3", "EventBridge", "CloudWatchEvents", "CloudWatchLogs", "CloudFront", "StepFunctions", "Kafka", "AppSync", "Unknown" }, triggers);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TraceHeadersOfEveryStyle()
    {
        var extracted = 0;
        var ran = PropertyRun.Check(Gen.Zip(HostileEvents.Headers(), HostileEvents.HeaderLines()), ReliabilityFigures.HeaderCases, c =>
        {
            extracted += RunEvent(c.Item1).HasUpstreamContext ? 1 : 0;
            FuzzTargets.Propagation(c.Item2);
        });
        Assert.Equal(ReliabilityFigures.HeaderCases, ran);
        ReliabilityFigures.Record("hostile.HeaderCases", ran);

        // The generator reaches the parsers' accepting paths, not only their rejections.
        Assert.InRange(extracted, ran / 20, ran);
        output.WriteLine($"{extracted} of {ran} events had a context extracted");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void MessageAttributesAndDatadogPayloads()
    {
        var extracted = 0;
        var ran = PropertyRun.Check(HostileEvents.MessageAttributes(), ReliabilityFigures.MessageAttributeCases, c => extracted += RunEvent(c).HasUpstreamContext ? 1 : 0);
        Assert.Equal(ReliabilityFigures.MessageAttributeCases, ran);
        ReliabilityFigures.Record("hostile.MessageAttributeCases", ran);
        Assert.InRange(extracted, ran / 20, ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AuthorizerContexts()
    {
        var ran = PropertyRun.Check(HostileEvents.AuthorizerContexts(), ReliabilityFigures.AuthorizerCases, c => RunEvent(c));
        Assert.Equal(ReliabilityFigures.AuthorizerCases, ran);
        ReliabilityFigures.Record("hostile.AuthorizerCases", ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void StepFunctionsContexts()
    {
        var extracted = 0;
        var ran = PropertyRun.Check(HostileEvents.StepFunctionsContexts(), ReliabilityFigures.StepFunctionsCases, c => extracted += RunEvent(c).HasUpstreamContext ? 1 : 0);
        Assert.Equal(ReliabilityFigures.StepFunctionsCases, ran);
        ReliabilityFigures.Record("hostile.StepFunctionsCases", ran);
        Assert.InRange(extracted, ran / 20, ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void XRayHeaders()
    {
        var ran = PropertyRun.Check(Gen.Zip(HostileEvents.XRayInEvents(), HostileEvents.XRayHeaderLines()), ReliabilityFigures.XRayCases, c =>
        {
            RunEvent(c.Item1);
            FuzzTargets.Propagation(c.Item2);
        });
        Assert.Equal(ReliabilityFigures.XRayCases, ran);
        ReliabilityFigures.Record("hostile.XRayCases", ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void PayloadCaptureInput()
    {
        var maxTags = 0;
        var ran = PropertyRun.Check(HostileEvents.Payloads(), ReliabilityFigures.PayloadCaptureCases, c => maxTags = Math.Max(maxTags, RunEvent(c).PayloadTags));

        Assert.Equal(ReliabilityFigures.PayloadCaptureCases, ran);
        ReliabilityFigures.Record("hostile.PayloadCaptureCases", ran);

        // Some payloads hit the tag cap (758): the bound is exercised, not only respected.
        Assert.Equal(758, maxTags);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void EventsBehindAByteOrderMark()
    {
        var ran = PropertyRun.Check(HostileEvents.WithByteOrderMarks(), ReliabilityFigures.ByteOrderMarkCases, c =>
        {
            // One mark is skipped, as JsonSerializer.Deserialize(Stream) skips it: the event reads as without it. Two are
            // not JSON, for the serializer and for tracing.
            var with = RunEvent(c.WithMark);
            if (c.Without is null)
            {
                Assert.False(with.Parsed);
                return;
            }

            var without = FuzzTargets.Event(c.Without);
            Assert.Equal(without.Trigger, with.Trigger);
            Assert.Equal(without.PayloadTags, with.PayloadTags);
        });
        Assert.Equal(ReliabilityFigures.ByteOrderMarkCases, ran);
        ReliabilityFigures.Record("hostile.ByteOrderMarkCases", ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SecretsPlantedUnderSensitiveNames()
    {
        var ran = PropertyRun.Check(HostileEvents.PlantedSecrets(), ReliabilityFigures.PlantedSecretCases, c =>
        {
            var exported = new List<string>();
            RunEvent(c.Case, exported);
            if (exported.Find(text => text.Contains(c.Secret, StringComparison.Ordinal)) is { } leak)
            {
                throw new FuzzFindingException($"{c.Case.Label}: the planted secret was exported in '{leak[..Math.Min(leak.Length, 300)]}'");
            }
        });
        Assert.Equal(ReliabilityFigures.PlantedSecretCases, ran);
        ReliabilityFigures.Record("hostile.PlantedSecretCases", ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SecretsInHostilePayloadTrees()
    {
        var ran = PropertyRun.Check(HostileEvents.PayloadsWithSecrets(), ReliabilityFigures.SecretPayloadCases, c =>
        {
            var exported = new List<string>();
            RunEvent(c, exported);
            if (exported.Find(text => text.Contains(HostileEvents.SecretMarker, StringComparison.Ordinal)) is { } leak)
            {
                throw new FuzzFindingException($"a secret was exported in '{leak[..Math.Min(leak.Length, 300)]}'");
            }
        });
        Assert.Equal(ReliabilityFigures.SecretPayloadCases, ran);
        ReliabilityFigures.Record("hostile.SecretPayloadCases", ran);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AuthorizerResultsOfEveryShape()
    {
        var rewritten = 0;
        var ran = PropertyRun.Check(HostileEvents.AuthorizerResults(), ReliabilityFigures.AuthorizerResultCases, bytes => rewritten += FuzzTargets.Response(bytes) ? 1 : 0);
        Assert.Equal(ReliabilityFigures.AuthorizerResultCases, ran);
        ReliabilityFigures.Record("hostile.AuthorizerResultCases", ran);

        // Both paths are exercised: results rewritten (spliced exactly) and results returned as written.
        Assert.InRange(rewritten, ran / 50, ran - (ran / 50));
        output.WriteLine($"{rewritten} of {ran} results were rewritten");
    }

    [Fact]
    public void ExceptionGraphs()
    {
        var ran = PropertyRun.Check(HostileEvents.ExceptionGraphs(), ReliabilityFigures.ExceptionGraphCases, bytes => FuzzTargets.Exception(bytes));
        Assert.Equal(ReliabilityFigures.ExceptionGraphCases, ran);
        ReliabilityFigures.Record("hostile.ExceptionGraphCases", ran);
    }

    /// <summary>Runs the event target on one case with its allocation bound.</summary>
    internal static FuzzOutcome RunEvent(HostileCase hostile, List<string>? exported = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var outcome = FuzzTargets.Event(hostile.Bytes, exported);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var allowed = (AllocationPerInputByte * (long)hostile.Bytes.Length) + (AllocationPerTagCharacter * outcome.PayloadCharacters) + AllocationOverhead;
        if (allocated > allowed)
        {
            // The first case down a path pays for one-time work (the diagnostics EventSource, static tables): measure again warm.
            exported?.Clear();
            before = GC.GetAllocatedBytesForCurrentThread();
            outcome = FuzzTargets.Event(hostile.Bytes, exported);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        if (allocated > allowed)
        {
            throw new FuzzFindingException($"allocated {allocated} bytes for {hostile.Bytes.Length} bytes of input and {outcome.PayloadCharacters} characters of tags (allowed {allowed})");
        }

        return outcome;
    }
}
