// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The service of an inferred span, in Datadog's order: <c>DD_SERVICE_MAPPING</c> for the specific key (queue, topic,
/// API id…), then for the generic key (<c>lambda_sqs</c>…); with <c>DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED=false</c>
/// the fallback; otherwise the name read from the event without surrounding white space, else the fallback. Whatever
/// that gives is looked up in <c>DD_SERVICE_MAPPING</c> once more (<see cref="Map"/>), as dd-trace-py's tracer maps every
/// span's service after datadog-lambda-python chose it.
/// </summary>
internal static class ServiceNames
{
    public static string Resolve(LambdaSettings settings, string? specificKey, string genericKey, string? extracted, string fallback) =>
        Map(settings.ServiceMapping, Choose(settings, specificKey, genericKey, extracted, fallback));

    /// <summary>
    /// The tracer's own lookup of a span's final service in <c>DD_SERVICE_MAPPING</c> (one lookup, not repeated on its
    /// result); the service itself when the mapping has no entry for it.
    /// </summary>
    public static string Map(IReadOnlyDictionary<string, string> mapping, string service) =>
        mapping.Count > 0 && mapping.TryGetValue(service, out var mapped) ? mapped : service;

    private static string Choose(LambdaSettings settings, string? specificKey, string genericKey, string? extracted, string fallback)
    {
        var mapping = settings.ServiceMapping;
        if (specificKey is not null && mapping.TryGetValue(specificKey, out var specific))
        {
            return specific;
        }

        if (mapping.TryGetValue(genericKey, out var generic))
        {
            return generic;
        }

        if (!settings.ServiceRepresentationEnabled)
        {
            return fallback;
        }

        // Python strips the name it read from the event; Trim returns the same string when there is nothing to strip.
        return string.IsNullOrWhiteSpace(extracted) ? fallback : extracted.Trim();
    }

    /// <summary>The last <c>:</c>-separated segment of an ARN (queue and topic names).</summary>
    public static string? LastArnSegment(string? arn)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        var colon = arn.LastIndexOf(':');
        return colon >= 0 && colon < arn.Length - 1 ? arn[(colon + 1)..] : null;
    }
}
