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

    /// <summary>
    /// Whether a trace's first span matches, as Datadog's Python tracer matches its local root: every pattern given, and
    /// every tag of the rule present (on the span, else among the process-wide tags) with a value the pattern accepts.
    /// A string is matched as it is; an integer, or a number without fraction, as its digits; a number with a fraction
    /// only by a pattern of wildcards alone, as Python writes it.
    /// </summary>
    public bool Matches(string service, string name, string resource, IEnumerable<KeyValuePair<string, object?>>? spanTags, SamplingProcessTags processTags, bool mainService)
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
            string? text;
            if (SpanTags.TryGet(spanTags, key, out var value) && value is not null)
            {
                text = TagText(value, matcher.WildcardsOnly);
            }
            else if (!processTags.TryGet(key, mainService, out text))
            {
                return false;
            }

            if (text is null || !matcher.IsMatch(text))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text a tag value is matched as; null when a number with a fraction meets a pattern that is not wildcards alone.</summary>
    private static string? TagText(object value, bool wildcardsOnly)
    {
        switch (value)
        {
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case double d:
                return Number(d, wildcardsOnly);
            case float f:
                return Number(f, wildcardsOnly);
            case decimal m:
                return Number((double)m, wildcardsOnly);
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString();
        }
    }

    private static string? Number(double value, bool wildcardsOnly)
    {
        if (double.IsFinite(value) && Math.Floor(value) == value)
        {
            return PythonText.FormatIntegralFloat(value);
        }

        return wildcardsOnly ? PythonText.FormatFloat(value) : null;
    }
}
