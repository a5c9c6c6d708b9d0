// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Sampling;

/// <summary>
/// The tags Datadog's Python tracer puts on every span of the process, which its sampling rules therefore see on the
/// trace's root: <c>env</c> (<c>DD_ENV</c>, else the <c>env</c> of <c>DD_TAGS</c>) and the other <c>DD_TAGS</c> pairs
/// (the last of a repeated key; not <c>service</c> or <c>version</c>), on every span; <c>version</c> (<c>DD_VERSION</c>,
/// else the <c>version</c> of <c>DD_TAGS</c>) only on spans of the function's own service. Here they are resource
/// attributes, not span tags, so the sampler looks a rule's tag up here when the span does not have it. Built once.
/// </summary>
internal sealed class SamplingProcessTags
{
    public static readonly SamplingProcessTags None = new([], null, null);

    private const string VersionKey = "version";
    private readonly KeyValuePair<string, string>[] tags;
    private readonly string? version;

    /// <param name="ddTags">The <c>DD_TAGS</c> pairs, in order.</param>
    /// <param name="environment">The resolved <c>env</c> (<see cref="LambdaSettings.ProcessValue"/>), when there is one.</param>
    /// <param name="version">The resolved <c>version</c>, when there is one.</param>
    public SamplingProcessTags(IReadOnlyList<KeyValuePair<string, string>> ddTags, string? environment, string? version)
    {
        var byKey = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in ddTags)
        {
            if (key is VersionKey or "service" or "env")
            {
                continue;
            }

            Set(byKey, key, value);
        }

        if (environment is not null)
        {
            Set(byKey, "env", environment);
        }

        this.tags = byKey.ToArray();
        this.version = version;
    }

    public bool IsEmpty => this.tags.Length == 0 && this.version is null;

    /// <summary>The process-wide value of <paramref name="key"/> on a span, <c>version</c> only on a span of the function's service.</summary>
    public bool TryGet(string key, bool mainService, out string value)
    {
        foreach (var tag in this.tags)
        {
            if (tag.Key == key)
            {
                value = tag.Value;
                return true;
            }
        }

        if (mainService && this.version is not null && key == VersionKey)
        {
            value = this.version;
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static void Set(List<KeyValuePair<string, string>> tags, string key, string value)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == key)
            {
                tags[i] = new(key, value);
                return;
            }
        }

        tags.Add(new(key, value));
    }
}
