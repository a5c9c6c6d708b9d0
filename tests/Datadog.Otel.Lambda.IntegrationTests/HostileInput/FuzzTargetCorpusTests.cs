// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Fuzzing;

namespace Datadog.Otel.Lambda.IntegrationTests.HostileInput;

/// <summary>
/// The SharpFuzz targets over their seed corpus (the sample events and the header seeds), so that the targets build,
/// accept their seeds and keep finding nothing on every test run; long runs are build/fuzz.sh.
/// </summary>
public class FuzzTargetCorpusTests
{
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
