// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>Attribute reads with the extension's semantics (<c>get_otel_attribute_value_as_string</c> and friends).</summary>
internal static class AttributeLookup
{
    /// <summary>
    /// Returns the text of the first attribute named <paramref name="key"/> that has a value, or an empty string.
    /// With <paramref name="normalize"/> the text goes through Datadog's tag normalisation (lower-case, no
    /// spaces…), which the extension applies to most of the attributes it derives names from.
    /// </summary>
    public static string GetText(IReadOnlyList<OtlpKeyValue> attributes, string key, bool normalize = false)
    {
        var text = string.Empty;
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key && AnyValueText.ToText(attribute.Value) is { } value)
            {
                text = value;
                break;
            }
        }

        return normalize ? DatadogNormalizer.NormalizeTag(text) : text;
    }

    /// <summary>The resource's attribute when it is non-empty, otherwise the span's.</summary>
    public static string GetTextFromResourceOrSpan(OtlpResource resource, OtlpSpan span, string key, bool normalize = false)
    {
        var fromResource = GetText(resource.Attributes, key, normalize);
        return fromResource.Length != 0 ? fromResource : GetText(span.Attributes, key, normalize);
    }

    /// <summary>Returns the first attribute named <paramref name="key"/>, with or without a value (<c>get_otel_attribute_value</c>).</summary>
    public static OtlpKeyValue? FindFirst(IReadOnlyList<OtlpKeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return attribute;
            }
        }

        return null;
    }
}
