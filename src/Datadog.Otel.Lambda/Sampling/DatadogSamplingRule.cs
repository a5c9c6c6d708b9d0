// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// A trace sampling rule given in code (<see cref="DatadogLambdaOptions.SamplingRules"/>), the counterpart of one entry
/// of <c>DD_TRACE_SAMPLING_RULES</c>: a rate, and glob patterns (<c>*</c> any run of characters, <c>?</c> one character,
/// matched case-insensitively) for the service, operation name, resource and tags of a trace's first span. A pattern left
/// <see langword="null"/> matches everything. The first rule that matches decides.
/// </summary>
public sealed class DatadogSamplingRule
{
    /// <summary>Initializes a new instance of the <see cref="DatadogSamplingRule"/> class.</summary>
    /// <param name="sampleRate">The share of matching traces to keep, from 0 to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is not a number from 0 to 1.</exception>
    public DatadogSamplingRule(double sampleRate)
    {
        if (double.IsNaN(sampleRate) || sampleRate < 0 || sampleRate > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate is a number from 0 to 1.");
        }

        this.SampleRate = sampleRate;
    }

    /// <summary>Gets the share of matching traces to keep, from 0 to 1.</summary>
    public double SampleRate { get; }

    /// <summary>Gets or sets the service pattern (<c>service</c> in <c>DD_TRACE_SAMPLING_RULES</c>).</summary>
    public string? Service { get; set; }

    /// <summary>Gets or sets the operation name pattern (<c>name</c>), for example <c>aws.lambda</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the resource pattern (<c>resource</c>).</summary>
    public string? Resource { get; set; }

    /// <summary>Gets the tag patterns (<c>tags</c>): tag name to the pattern its value must match.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The rule as the sampler evaluates it.</summary>
    internal SamplingRule ToSamplingRule()
    {
        List<KeyValuePair<string, IValueMatcher>>? tags = null;
        foreach (var tag in this.Tags)
        {
            (tags ??= new List<KeyValuePair<string, IValueMatcher>>()).Add(new(tag.Key, new GlobMatcher(tag.Value ?? string.Empty)));
        }

        return new SamplingRule(this.SampleRate, Glob(this.Service), Glob(this.Name), Glob(this.Resource), tags);
    }

    private static GlobMatcher? Glob(string? pattern) => pattern is null ? null : new GlobMatcher(pattern);
}
