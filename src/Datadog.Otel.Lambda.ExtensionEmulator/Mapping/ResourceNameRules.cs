// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The Datadog resource of an OTLP span when no <c>datadog.resource</c> resource attribute set it (spec §2.2),
/// first match wins. Each attribute is read from the resource first, then from the span. Only the current
/// semantic conventions are read: no <c>http.method</c>, <c>db.system</c> or <c>url.template</c>.
/// </summary>
internal static class ResourceNameRules
{
    public static string Resolve(OtlpSpan span, OtlpResource resource) =>
        ExplicitResourceName(span, resource)
        ?? Http(span, resource)
        ?? Messaging(span, resource)
        ?? Rpc(span, resource)
        ?? GraphQl(span, resource)
        ?? Database(span, resource)
        ?? span.Name;

    /// <summary>A <c>resource.name</c> attribute, verbatim.</summary>
    private static string? ExplicitResourceName(OtlpSpan span, OtlpResource resource) =>
        NonEmpty(AttributeLookup.GetTextFromResourceOrSpan(resource, span, "resource.name"));

    /// <summary><c>http.request.method</c> (<c>_OTHER</c> reads as <c>HTTP</c>), with <c>http.route</c> appended on SERVER spans.</summary>
    private static string? Http(OtlpSpan span, OtlpResource resource)
    {
        var method = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "http.request.method");
        if (method.Length == 0)
        {
            return null;
        }

        if (method == "_OTHER")
        {
            method = "HTTP";
        }

        if (SpanKinds.Effective(span.Kind) == OtlpSpanKind.Server)
        {
            var route = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "http.route");
            if (route.Length != 0)
            {
                return $"{method} {route}";
            }
        }

        return method;
    }

    /// <summary><c>{messaging.operation.type} {messaging.destination.name}</c>, or the operation alone.</summary>
    private static string? Messaging(OtlpSpan span, OtlpResource resource)
    {
        var operation = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "messaging.operation.type");
        if (operation.Length == 0)
        {
            return null;
        }

        var destination = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "messaging.destination.name");
        return destination.Length != 0 ? $"{operation} {destination}" : operation;
    }

    /// <summary><c>{rpc.service} {rpc.method}</c>, or the method alone.</summary>
    private static string? Rpc(OtlpSpan span, OtlpResource resource)
    {
        var method = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "rpc.method");
        if (method.Length == 0)
        {
            return null;
        }

        var service = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "rpc.service");
        return service.Length != 0 ? $"{service} {method}" : method;
    }

    /// <summary><c>{graphql.operation.type} {graphql.operation.name}</c>, or the type alone.</summary>
    private static string? GraphQl(OtlpSpan span, OtlpResource resource)
    {
        var type = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "graphql.operation.type");
        if (type.Length == 0)
        {
            return null;
        }

        var name = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "graphql.operation.name");
        return name.Length != 0 ? $"{type} {name}" : type;
    }

    /// <summary>
    /// With <c>db.system.name</c>: the raw <c>db.query.text</c> (the extension does not obfuscate it for these
    /// span types), else the system name.
    /// </summary>
    private static string? Database(OtlpSpan span, OtlpResource resource)
    {
        var system = AttributeLookup.GetTextFromResourceOrSpan(resource, span, "db.system.name");
        if (system.Length == 0)
        {
            return null;
        }

        return NonEmpty(AttributeLookup.GetTextFromResourceOrSpan(resource, span, "db.query.text")) ?? system;
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
