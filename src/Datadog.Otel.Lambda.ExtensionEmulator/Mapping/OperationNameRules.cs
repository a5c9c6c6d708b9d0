// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The Datadog operation name of an OTLP span: the extension's "v2" rules (spec §2.3), first match wins.
/// Most attributes the rules read are passed through Datadog's tag normalisation first, so
/// <c>rpc.service=SQS</c> yields <c>aws.sqs.request</c>. The result is normalised again later
/// (<see cref="DatadogNormalizer.NormalizeName"/>) with the rest of the span.
/// </summary>
internal static class OperationNameRules
{
    /// <summary>The scope of the Python OpenTelemetry Lambda instrumentation, the only one special-cased.</summary>
    public const string PythonAwsLambdaScope = "opentelemetry.instrumentation.aws_lambda";

    public static string Resolve(OtlpSpan span, OtlpScope scope)
    {
        var kind = SpanKinds.Effective(span.Kind);
        var attributes = span.Attributes;
        return ExplicitOperationName(attributes)
            ?? PythonLambdaInstrumentation(kind, scope)
            ?? Http(attributes, kind)
            ?? DatabaseQuerySummary(attributes)
            ?? DatabaseTarget(attributes)
            ?? DatabaseSystem(attributes)
            ?? Messaging(attributes, kind)
            ?? AwsApiClient(attributes, kind)
            ?? Rpc(attributes, kind)
            ?? FaasClient(attributes, kind)
            ?? FaasServer(attributes, kind)
            ?? GraphQl(attributes)
            ?? GenericServerOrClient(attributes, kind)
            ?? KindName(kind);
    }

    /// <summary>Rule 1: an <c>operation.name</c> attribute is used verbatim.</summary>
    private static string? ExplicitOperationName(IReadOnlyList<OtlpKeyValue> attributes) =>
        NonEmpty(AttributeLookup.GetText(attributes, "operation.name"));

    /// <summary>Rule 2: a SERVER span of the Python Lambda instrumentation is the <c>aws.lambda</c> span (extension v97+).</summary>
    private static string? PythonLambdaInstrumentation(OtlpSpanKind kind, OtlpScope scope) =>
        kind == OtlpSpanKind.Server && scope.Name == PythonAwsLambdaScope ? "aws.lambda" : null;

    /// <summary>Rule 3: <c>http.request.method</c> on a SERVER or CLIENT span (the old <c>http.method</c> is not read).</summary>
    private static string? Http(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        if (AttributeLookup.GetText(attributes, "http.request.method").Length == 0)
        {
            return null;
        }

        return kind switch
        {
            OtlpSpanKind.Server => "http.server.request",
            OtlpSpanKind.Client => "http.client.request",
            _ => null,
        };
    }

    /// <summary>Rule 4: <c>db.query.summary</c> (normalised).</summary>
    private static string? DatabaseQuerySummary(IReadOnlyList<OtlpKeyValue> attributes) =>
        NonEmpty(AttributeLookup.GetText(attributes, "db.query.summary", normalize: true));

    /// <summary>
    /// Rule 5: <c>{db.operation.name} {target}</c> or <c>{target}</c>, the target being the first of
    /// <c>db.collection.name</c>, <c>db.stored_procedure.name</c>, <c>db.namespace</c>, <c>server.address:server.port</c>.
    /// </summary>
    /// <remarks>
    /// Every part is tag-normalised first. Tag normalisation strips leading digits, so a numeric
    /// <c>server.port</c> normalises to an empty string and the address:port target never applies
    /// (an extension quirk, emulated).
    /// </remarks>
    private static string? DatabaseTarget(IReadOnlyList<OtlpKeyValue> attributes)
    {
        var target = NonEmpty(AttributeLookup.GetText(attributes, "db.collection.name", normalize: true))
            ?? NonEmpty(AttributeLookup.GetText(attributes, "db.stored_procedure.name", normalize: true))
            ?? NonEmpty(AttributeLookup.GetText(attributes, "db.namespace", normalize: true))
            ?? ServerAddressAndPort(attributes);
        if (target is null)
        {
            return null;
        }

        var operation = AttributeLookup.GetText(attributes, "db.operation.name", normalize: true);
        return operation.Length != 0 ? $"{operation} {target}" : target;
    }

    private static string? ServerAddressAndPort(IReadOnlyList<OtlpKeyValue> attributes)
    {
        var address = AttributeLookup.GetText(attributes, "server.address", normalize: true);
        var port = AttributeLookup.GetText(attributes, "server.port", normalize: true);
        return address.Length != 0 && port.Length != 0 ? $"{address}:{port}" : null;
    }

    /// <summary>Rule 6: <c>db.system.name</c> (normalised).</summary>
    private static string? DatabaseSystem(IReadOnlyList<OtlpKeyValue> attributes) =>
        NonEmpty(AttributeLookup.GetText(attributes, "db.system.name", normalize: true));

    /// <summary>Rule 7: <c>{messaging.system}.{messaging.operation.type}</c> on any kind but INTERNAL/UNSPECIFIED.</summary>
    private static string? Messaging(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        var system = AttributeLookup.GetText(attributes, "messaging.system", normalize: true);
        var operation = AttributeLookup.GetText(attributes, "messaging.operation.type", normalize: true);
        if (system.Length == 0 || operation.Length == 0)
        {
            return null;
        }

        return kind is OtlpSpanKind.Client or OtlpSpanKind.Server or OtlpSpanKind.Consumer or OtlpSpanKind.Producer
            ? $"{system}.{operation}"
            : null;
    }

    /// <summary>Rule 8: an AWS SDK CLIENT span (<c>rpc.system=aws-api</c>) is <c>aws.{rpc.service}.request</c>, else <c>aws.client.request</c>.</summary>
    private static string? AwsApiClient(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        if (kind != OtlpSpanKind.Client || AttributeLookup.GetText(attributes, "rpc.system", normalize: true) != "aws-api")
        {
            return null;
        }

        var service = AttributeLookup.GetText(attributes, "rpc.service", normalize: true);
        return service.Length != 0 ? $"aws.{service}.request" : "aws.client.request";
    }

    /// <summary>Rule 9: other RPC CLIENT/SERVER spans are <c>{rpc.system}.client.request</c> / <c>{rpc.system}.server.request</c>.</summary>
    private static string? Rpc(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        var system = AttributeLookup.GetText(attributes, "rpc.system", normalize: true);
        if (system.Length == 0)
        {
            return null;
        }

        return kind switch
        {
            OtlpSpanKind.Client => $"{system}.client.request",
            OtlpSpanKind.Server => $"{system}.server.request",
            _ => null,
        };
    }

    /// <summary>Rule 10: a CLIENT span invoking a function is <c>{faas.invoked_provider}.{faas.invoked_name}.invoke</c>.</summary>
    private static string? FaasClient(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        var provider = AttributeLookup.GetText(attributes, "faas.invoked_provider", normalize: true);
        var name = AttributeLookup.GetText(attributes, "faas.invoked_name", normalize: true);
        return provider.Length != 0 && name.Length != 0 && kind == OtlpSpanKind.Client ? $"{provider}.{name}.invoke" : null;
    }

    /// <summary>Rule 11: a SERVER span with <c>faas.trigger</c> is <c>{faas.trigger}.invoke</c> (e.g. <c>http.invoke</c>, <c>other.invoke</c>).</summary>
    private static string? FaasServer(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        var trigger = AttributeLookup.GetText(attributes, "faas.trigger", normalize: true);
        return trigger.Length != 0 && kind == OtlpSpanKind.Server ? $"{trigger}.invoke" : null;
    }

    /// <summary>Rule 12: any span with <c>graphql.operation.type</c> is <c>graphql.server.request</c>.</summary>
    private static string? GraphQl(IReadOnlyList<OtlpKeyValue> attributes) =>
        AttributeLookup.GetText(attributes, "graphql.operation.type", normalize: true).Length != 0 ? "graphql.server.request" : null;

    /// <summary>Rule 13: SERVER/CLIENT spans are <c>{network.protocol.name}.server.request</c> or <c>server.request</c> (client alike).</summary>
    private static string? GenericServerOrClient(IReadOnlyList<OtlpKeyValue> attributes, OtlpSpanKind kind)
    {
        var side = kind switch
        {
            OtlpSpanKind.Server => "server",
            OtlpSpanKind.Client => "client",
            _ => null,
        };
        if (side is null)
        {
            return null;
        }

        var protocol = AttributeLookup.GetText(attributes, "network.protocol.name", normalize: true);
        return protocol.Length != 0 ? $"{protocol}.{side}.request" : $"{side}.request";
    }

    /// <summary>Rule 14: the proto enum name of the kind; an UNSPECIFIED kind also gives <c>SPAN_KIND_INTERNAL</c>.</summary>
    private static string KindName(OtlpSpanKind kind) =>
        SpanKinds.ProtoEnumName(kind == OtlpSpanKind.Unspecified ? OtlpSpanKind.Internal : kind);

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
