// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Fuzzing;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// The SharpFuzz targets over their seed corpus (the sample events, the event seeds of the reliability work, the header,
/// response and exception seeds), so that the targets build, accept their seeds and keep finding nothing on every test
/// run; long runs are build/fuzz.sh.
/// </summary>
public class FuzzTargetCorpusTests
{
    /// <summary>Planted in the event seeds under sensitive names, in every form the seeds hold them.</summary>
    private const string SeedSecret = "SEKRIT-0d5e1f2a3b";

    [Fact]
    public void EventTargetAcceptsEverySampleEvent()
    {
        var described = 0;
        foreach (var name in EventCorpus.Names)
        {
            var outcome = FuzzTargets.Event(System.Text.Encoding.UTF8.GetBytes(EventCorpus.Text(name)));
            described += outcome.Trigger is null ? 0 : 1;
        }

        Assert.Equal(EventCorpus.Names.Count, described);
    }

    [Fact]
    public void EventTargetAcceptsEveryEventSeedAndExportsNoPlantedSecret()
    {
        var seeds = EventCorpus.FuzzSeeds("event").ToList();
        Assert.NotEmpty(seeds);
        var planted = 0;
        foreach (var seed in seeds)
        {
            var bytes = File.ReadAllBytes(seed);
            var exported = new List<string>();
            var outcome = FuzzTargets.Event(bytes, exported);
            Assert.True(outcome.Parsed, seed);
            Assert.DoesNotContain(exported, text => text.Contains(SeedSecret, StringComparison.Ordinal));
            planted += System.Text.Encoding.UTF8.GetString(bytes).Contains(SeedSecret, StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.InRange(planted, 8, seeds.Count); // the base64, Kinesis and gzip seeds hold it encoded
    }

    [Fact]
    public void ResponseTargetAcceptsEverySeed()
    {
        var seeds = EventCorpus.FuzzSeeds("response").ToList();
        Assert.NotEmpty(seeds);
        var rewritten = seeds.Count(seed => FuzzTargets.Response(File.ReadAllBytes(seed)));

        // The two policies the seeds hold in the accepted shape, and the nested context an HTTP API 2.0 authorizer may return.
        Assert.Equal(3, rewritten);
    }

    [Fact]
    public void ExceptionTargetAcceptsEverySeed()
    {
        var seeds = EventCorpus.FuzzSeeds("exception").ToList();
        Assert.NotEmpty(seeds);
        Assert.All(seeds, seed => Assert.InRange(FuzzTargets.Exception(File.ReadAllBytes(seed)), 1, Internal.ExceptionText.MaxStackLength));
    }

    [Fact]
    public void PropagationTargetAcceptsEverySeed()
    {
        var seeds = EventCorpus.FuzzSeeds("propagation").ToList();
        Assert.NotEmpty(seeds);
        foreach (var seed in seeds)
        {
            FuzzTargets.Propagation(File.ReadAllBytes(seed));
        }
    }
}
