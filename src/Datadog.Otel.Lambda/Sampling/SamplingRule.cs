// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// One trace sampling rule (<c>DD_TRACE_SAMPLING_RULES</c> entry, or <c>DD_TRACE_SAMPLE_RATE</c> as a rule matching
/// everything): optional patterns for service, operation name, resource and tags, and a rate. The attribute sets of
/// its decisions are built once.
/// </summary>
internal sealed class SamplingRule
{
    private static readonly object BoxedFullRate = 1.0;

    public SamplingRule(double sampleRate, IValueMatcher? service = null, IValueMatcher? name = null, IValueMatcher? resource = null, IReadOnlyList<KeyValuePair<string, IValueMatcher>>? tags = null)
    {
        SampleRate = Math.Clamp(sampleRate, 0, 1);
        Threshold = KnuthSampling.Threshold(SampleRate);
        Service = service;
        Name = name;
        Resource = resource;
        Tags = tags ?? Array.Empty<KeyValuePair<string, IValueMatcher>>();
        BoxedRate = SampleRate;
        KnuthRate = KnuthSampleRate.Format(SampleRate);
        DropAttributes =
        [
            new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(SamplingPriorities.UserReject)),
            new(SamplingTagNames.DecisionMaker, SamplingPriorities.RuleMechanism),
            new(SamplingTagNames.RuleRate, BoxedRate),
            new(SamplingTagNames.KnuthSampleRate, KnuthRate),
        ];
        KeepAttributes =
        [
            new(SamplingTagNames.SamplingPriority, BoxedPriorities.Get(SamplingPriorities.UserKeep)),
            new(SamplingTagNames.DecisionMaker, SamplingPriorities.RuleMechanism),
            new(SamplingTagNames.RuleRate, BoxedRate),
            new(SamplingTagNames.KnuthSampleRate, KnuthRate),
            new(SamplingTagNames.LimiterRate, BoxedFullRate),
        ];
    }

    public double SampleRate { get; }

    public ulong Threshold { get; }

    public IValueMatcher? Service { get; }

    public IValueMatcher? Name { get; }

    public IValueMatcher? Resource { get; }

    public IReadOnlyList<KeyValuePair<string, IValueMatcher>> Tags { get; }

    public object BoxedRate { get; }

    /// <summary>Gets the rate as <c>_dd.p.ksr</c> text.</summary>
    public string KnuthRate { get; }

    /// <summary>Gets the attributes of a trace this rule's rate drops (the limiter is not consulted).</summary>
    public KeyValuePair<string, object>[] DropAttributes { get; }

    /// <summary>Gets the attributes of a trace this rule keeps while the limiter's effective rate is 1 (the usual case, so it allocates nothing).</summary>
    public KeyValuePair<string, object>[] KeepAttributes { get; }

    public bool Matches(string service, string name, string resource, IEnumerable<KeyValuePair<string, object?>>? spanTags)
    {
        if ((Service is not null && !Service.IsMatch(service))
            || (Name is not null && !Name.IsMatch(name))
            || (Resource is not null && !Resource.IsMatch(resource)))
        {
            return false;
        }

        for (var i = 0; i < Tags.Count; i++)
        {
            var (key, matcher) = Tags[i];
            if (matcher.MatchesAll)
            {
                continue;
            }

            if (!SpanTags.TryGet(spanTags, key, out var value) || value is null)
            {
                return false;
            }

            var text = TagText(value, out var isNonIntegralNumber);
            if (isNonIntegralNumber || text is null || !matcher.IsMatch(text))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text a tag value is matched as: integers in invariant decimal; a non-integral number matches only <c>*</c> (as in Datadog tracers).</summary>
    private static string? TagText(object value, out bool isNonIntegralNumber)
    {
        isNonIntegralNumber = false;
        switch (value)
        {
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case double d:
                return Integral(d, out isNonIntegralNumber);
            case float f:
                return Integral(f, out isNonIntegralNumber);
            case decimal m:
                return Integral((double)m, out isNonIntegralNumber);
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString();
        }
    }

    private static string? Integral(double value, out bool isNonIntegralNumber)
    {
        isNonIntegralNumber = Math.Floor(value) != value || double.IsInfinity(value);
        return isNonIntegralNumber ? null : ((long)value).ToString(CultureInfo.InvariantCulture);
    }
}
