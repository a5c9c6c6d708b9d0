// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// How the extension files one attribute into meta or metrics (spec §2.4): <c>set_otlp_meta</c>,
/// <c>set_otlp_metrics</c> and their "semantic convention" guards.
/// </summary>
internal static class AttributeMapping
{
    public const string SamplingPriorityAttribute = "sampling.priority";
    public const string SamplingPriorityMetric = "_sampling_priority_v1";
    public const string AnalyticsEventAttribute = "analytics.event";
    public const string AnalyticsEventMetric = "_dd1.sr.eausr";

    /// <summary>Meta keys that a <c>datadog.*</c> attribute may already have set; a plain attribute then does not overwrite them.</summary>
    private static readonly HashSet<string> DatadogSemanticMetaKeys = new(StringComparer.Ordinal)
    {
        "env", "version", "http.status_code", "error.msg", "error.type", "error.stack",
    };

    /// <summary>
    /// Stores a non-numeric attribute in meta. Keys the Datadog conventions own (<c>service.name</c>,
    /// <c>operation.name</c>, <c>resource.name</c>, <c>span.type</c>, <c>datadog.*</c>) are never copied, and
    /// <c>env</c>/<c>version</c>/<c>http.status_code</c>/<c>error.*</c> do not overwrite a value already set.
    /// </summary>
    /// <remarks>
    /// The extension computes the <c>http.request.headers.*</c> spelling of <c>http.request.header.*</c> keys but
    /// then stores the value under the original key (its <c>set_otlp_meta</c> is called with the attribute key,
    /// not the mapped one), so the key stays <c>http.request.header.X</c>. The emulator does the same.
    /// </remarks>
    public static void SetMeta(MappedSpan span, string key, string value)
    {
        if (IsDatadogConventionKey(key))
        {
            return;
        }

        if (DatadogSemanticMetaKeys.Contains(key) && span.Meta.ContainsKey(key))
        {
            return;
        }

        if (key == AnalyticsEventAttribute)
        {
            SetAnalyticsEvent(span, value);
            return;
        }

        span.Meta[key] = value;
    }

    /// <summary>
    /// Stores an integer or double attribute in metrics, with the same exclusions as <see cref="SetMeta"/>;
    /// <c>sampling.priority</c> becomes <c>_sampling_priority_v1</c>, the metric that sets the chunk priority.
    /// </summary>
    public static void SetMetric(MappedSpan span, string key, double value)
    {
        if (IsDatadogConventionKey(key))
        {
            return;
        }

        if (DatadogSemanticMetaKeys.Contains(key) && span.Metrics.ContainsKey(key))
        {
            return;
        }

        span.Metrics[key == SamplingPriorityAttribute ? SamplingPriorityMetric : key] = value;
    }

    /// <summary>Keys the extension reserves for Datadog's own conventions and never copies as tags.</summary>
    public static bool IsDatadogConventionKey(string key) =>
        key is "service.name" or "operation.name" or "resource.name" or "span.type"
        || key.StartsWith("datadog.", StringComparison.Ordinal);

    /// <summary><c>analytics.event</c> <c>true</c>/<c>false</c> (exact, lower-case, as Rust parses a bool) becomes metric <c>_dd1.sr.eausr</c> 1/0.</summary>
    private static void SetAnalyticsEvent(MappedSpan span, string value)
    {
        if (value is "true" or "false")
        {
            span.Metrics[AnalyticsEventMetric] = value == "true" ? 1.0 : 0.0;
        }
    }
}
