// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>The Datadog span type when no <c>datadog.type</c> span attribute set it (spec §2.2).</summary>
internal static class SpanTypeRules
{
    public static string Resolve(OtlpSpan span, OtlpResource resource)
    {
        var explicitType = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "span.type", normalize: true);
        return explicitType.Length != 0 ? explicitType : FromKind(span, resource);
    }

    /// <summary>SERVER → <c>web</c>; CLIENT → <c>cache</c> for redis/memcached, <c>db</c> with another <c>db.system.name</c>, else <c>http</c>; others → <c>custom</c>.</summary>
    private static string FromKind(OtlpSpan span, OtlpResource resource)
    {
        switch (SpanKinds.Effective(span.Kind))
        {
            case OtlpSpanKind.Server:
                return "web";
            case OtlpSpanKind.Client:
                var system = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "db.system.name", normalize: true);
                return system switch
                {
                    "" => "http",
                    "redis" or "memcached" => "cache",
                    _ => "db",
                };
            default:
                return "custom";
        }
    }
}
