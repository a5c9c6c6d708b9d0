// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers.Binary;
using System.Globalization;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp.Model;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// Converts one OTLP span into a Datadog span the way the extension's <c>otel_span_to_dd_span</c> does with its
/// default configuration (v2 operation names, <c>DD_OTLP_CONFIG_IGNORE_MISSING_DATADOG_FIELDS=false</c>, no
/// <c>DD_APM_FEATURES</c>). The steps run in the extension's order, since later steps overwrite earlier ones.
/// </summary>
internal static class OtlpSpanConverter
{
    public const string TraceIdHighMetaKey = "_dd.p.tid";
    public const string OtelTraceIdMetaKey = "otel.trace_id";
    public const string NoServiceName = "otlpresourcenoservicename";

    /// <summary>
    /// <c>datadog.*</c> span attributes copied into meta under the Datadog key (<c>datadog.http_status_code</c> goes to
    /// meta <c>http.status_code</c> as text, beside the numeric metric of the same name).
    /// </summary>
    private static readonly (string Attribute, string MetaKey)[] DatadogSemanticAttributes =
    [
        ("datadog.env", "env"),
        ("datadog.version", "version"),
        ("datadog.http_status_code", "http.status_code"),
        ("datadog.error.msg", "error.msg"),
        ("datadog.error.type", "error.type"),
        ("datadog.error.stack", "error.stack"),
    ];

    public static MappedSpan Convert(OtlpSpan otel, OtlpResource resource, OtlpScope scope)
    {
        var span = CreateWithIds(otel);
        ApplyDatadogOverrides(span, otel, resource);
        ApplyErrorFlag(span, otel);
        ApplyDatadogSpanKindTag(span, otel);
        ApplyService(span, resource);
        span.Name = OperationNameRules.Resolve(otel, scope);
        ApplyResource(span, otel, resource);
        ApplyType(span, otel, resource);
        ApplyKindNameAsSpanTypeTag(span, otel);
        ApplyHttpStatusCodeMetric(span, otel);
        ApplyEnvironment(span, resource);

        // The extension's "set measured" step would go here; its helper is inverted and only removes a metric
        // that cannot exist yet, so it has no effect. An integer `_dd.measured` attribute still becomes a metric
        // in CopySpanAttributes.
        ApplyDatadogSemanticAttributes(span, otel);
        CopyResourceAttributes(span, resource);
        CopyScopeAttributes(span, scope);
        span.Meta[OtelTraceIdMetaKey] = span.TraceIdHex;
        ApplyServiceVersion(span, resource);
        ApplyEventsAndLinks(span, otel);
        CopySpanAttributes(span, otel);
        ApplyTraceState(span, otel);
        ApplyScopeTags(span, scope);
        ApplyStatusTags(span, otel);
        return span;
    }

    /// <summary>
    /// Ids and times. The trace id is split into its lower 8 bytes (the Datadog trace id) and upper 8 bytes,
    /// both big-endian; a span id of any length other than 8 reads as 0, as in the extension.
    /// </summary>
    /// <remarks>
    /// Quirk: the upper half goes into meta <c>_dd.p.tid</c> as a <b>decimal</b> string, on every span, even when
    /// it is 0. Datadog's tracers write 16 lower-case hex digits and only when non-zero. The duration is
    /// <c>end - start</c> wrapped to 64 bits, so an end before the start gives a negative duration, which
    /// normalisation later turns into 0.
    /// </remarks>
    private static MappedSpan CreateWithIds(OtlpSpan otel)
    {
        var traceId = otel.TraceId;
        var span = new MappedSpan
        {
            TraceId = BinaryPrimitives.ReadUInt64BigEndian(traceId.AsSpan(8, 8)),
            TraceIdHigh = BinaryPrimitives.ReadUInt64BigEndian(traceId.AsSpan(0, 8)),
            TraceIdHex = System.Convert.ToHexString(traceId).ToLowerInvariant(),
            SpanId = ReadId(otel.SpanId),
            ParentId = ReadId(otel.ParentSpanId),
            Start = unchecked((long)otel.StartTimeUnixNano),
            Duration = unchecked((long)(otel.EndTimeUnixNano - otel.StartTimeUnixNano)),
            Kind = otel.Kind,
            OtelName = otel.Name,
        };
        span.Meta[TraceIdHighMetaKey] = span.TraceIdHigh.ToString(CultureInfo.InvariantCulture);
        return span;
    }

    private static ulong ReadId(byte[] id) => id.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(id) : 0;

    /// <summary>
    /// The <c>datadog.*</c> overrides read first: span <c>datadog.service</c>, <c>datadog.name</c>, <c>datadog.type</c> and
    /// <b>resource</b> <c>datadog.resource</c>, each tag-normalised (so <c>datadog.resource=GET /a</c> becomes
    /// <c>get_/a</c>, an extension quirk). <c>datadog.name</c> is overwritten by the operation-name rules right after.
    /// </summary>
    private static void ApplyDatadogOverrides(MappedSpan span, OtlpSpan otel, OtlpResource resource)
    {
        span.Service = AttributeLookup.GetText(otel.Attributes, "datadog.service", normalize: true);
        span.Name = AttributeLookup.GetText(otel.Attributes, "datadog.name", normalize: true);
        span.Resource = AttributeLookup.GetText(resource.Attributes, "datadog.resource", normalize: true);
        span.Type = AttributeLookup.GetText(otel.Attributes, "datadog.type", normalize: true);
    }

    /// <summary>
    /// <c>error</c> is 1 when the status code is ERROR. A <c>datadog.error</c> attribute with a value takes
    /// precedence, but the extension serialises the whole value message to JSON (an object) and parses that as
    /// an integer, which always fails: such a span gets <c>error=0</c> even with an ERROR status (quirk, emulated).
    /// </summary>
    private static void ApplyErrorFlag(MappedSpan span, OtlpSpan otel)
    {
        if (AttributeLookup.FindFirst(otel.Attributes, "datadog.error") is { Value: not null })
        {
            span.Error = 0;
        }
        else if (otel.Status is { Code: OtlpStatus.ErrorCode })
        {
            span.Error = 1;
        }
    }

    /// <summary>Meta <c>span.kind</c> comes only from a <c>datadog.span.kind</c> attribute (normalised).</summary>
    private static void ApplyDatadogSpanKindTag(MappedSpan span, OtlpSpan otel)
    {
        var kind = AttributeLookup.GetText(otel.Attributes, "datadog.span.kind", normalize: true);
        if (kind.Length != 0)
        {
            span.Meta["span.kind"] = kind;
        }
    }

    /// <summary>
    /// Service: <c>datadog.service</c> (set above), else the <b>resource</b> attribute <c>service.name</c>, else
    /// <c>otlpresourcenoservicename</c>, normalised. A span-level <c>service.name</c> attribute is ignored.
    /// </summary>
    private static void ApplyService(MappedSpan span, OtlpResource resource)
    {
        if (span.Service.Length != 0)
        {
            return;
        }

        var service = AttributeLookup.GetText(resource.Attributes, "service.name", normalize: true);
        span.Service = DatadogNormalizer.NormalizeService(service.Length != 0 ? service : NoServiceName);
    }

    private static void ApplyResource(MappedSpan span, OtlpSpan otel, OtlpResource resource)
    {
        if (span.Resource.Length == 0)
        {
            span.Resource = ResourceNameRules.Resolve(otel, resource);
        }
    }

    private static void ApplyType(MappedSpan span, OtlpSpan otel, OtlpResource resource)
    {
        if (span.Type.Length == 0)
        {
            span.Type = SpanTypeRules.Resolve(otel, resource);
        }
    }

    /// <summary>
    /// Quirk: the extension writes the lower-case kind name (<c>server</c>, <c>client</c>, …) into meta
    /// <b><c>span.type</c></b>, where the Go agent writes meta <c>span.kind</c>. A <c>span.type</c> attribute never
    /// replaces it (that key is reserved), so meta <c>span.type</c> and the span's type field usually differ.
    /// </summary>
    private static void ApplyKindNameAsSpanTypeTag(MappedSpan span, OtlpSpan otel)
    {
        span.Meta.TryAdd("span.type", SpanKinds.LowerCaseName(SpanKinds.Effective(otel.Kind)));
    }

    /// <summary>
    /// Metric <c>http.status_code</c>: from <c>datadog.http_status_code</c>, else <c>http.response.status_code</c>
    /// (either read as text and parsed as an unsigned integer); nothing when 0 or unparsable.
    /// </summary>
    private static void ApplyHttpStatusCodeMetric(MappedSpan span, OtlpSpan otel)
    {
        var explicitCode = AttributeLookup.GetText(otel.Attributes, "datadog.http_status_code");
        var text = explicitCode.Length != 0 ? explicitCode : AttributeLookup.GetText(otel.Attributes, "http.response.status_code");
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code != 0)
        {
            span.Metrics["http.status_code"] = code;
        }
    }

    /// <summary>
    /// Meta <c>env</c> from the resource attribute <c>deployment.environment.name</c> (normalised); a
    /// <c>datadog.env</c> span attribute overwrites it next. The old <c>deployment.environment</c> is only copied as a plain tag.
    /// </summary>
    private static void ApplyEnvironment(MappedSpan span, OtlpResource resource)
    {
        if (span.Meta.ContainsKey("env"))
        {
            return;
        }

        var env = AttributeLookup.GetText(resource.Attributes, "deployment.environment.name", normalize: true);
        if (env.Length != 0)
        {
            span.Meta["env"] = env;
        }
    }

    /// <summary>
    /// <c>datadog.env</c>, <c>datadog.version</c>, <c>datadog.http_status_code</c> and <c>datadog.error.msg/type/stack</c>
    /// set meta <c>env</c>, <c>version</c>, <c>http.status_code</c> and <c>error.msg/type/stack</c>, overwriting.
    /// </summary>
    private static void ApplyDatadogSemanticAttributes(MappedSpan span, OtlpSpan otel)
    {
        foreach (var (attribute, metaKey) in DatadogSemanticAttributes)
        {
            var value = AttributeLookup.GetText(otel.Attributes, attribute);
            if (value.Length != 0)
            {
                span.Meta[metaKey] = value;
            }
        }
    }

    /// <summary>Every resource attribute with a non-empty text goes to meta, except the reserved keys.</summary>
    private static void CopyResourceAttributes(MappedSpan span, OtlpResource resource)
    {
        foreach (var attribute in resource.Attributes)
        {
            if (AnyValueText.ToText(attribute.Value) is { Length: > 0 } text)
            {
                AttributeMapping.SetMeta(span, attribute.Key, text);
            }
        }
    }

    /// <summary>Scope attributes go to meta verbatim, reserved keys included.</summary>
    private static void CopyScopeAttributes(MappedSpan span, OtlpScope scope)
    {
        foreach (var attribute in scope.Attributes)
        {
            if (AnyValueText.ToText(attribute.Value) is { Length: > 0 } text)
            {
                span.Meta[attribute.Key] = text;
            }
        }
    }

    /// <summary>
    /// Meta <c>version</c> is replaced by the resource's <c>service.version</c> only when a version is already
    /// set (from <c>datadog.version</c> or a resource attribute named <c>version</c>): the extension's test is
    /// inverted compared with the Go agent, so <c>service.version</c> alone produces no <c>version</c> (quirk).
    /// </summary>
    private static void ApplyServiceVersion(MappedSpan span, OtlpResource resource)
    {
        if (!span.Meta.ContainsKey("version"))
        {
            return;
        }

        var serviceVersion = AttributeLookup.GetText(resource.Attributes, "service.version");
        if (serviceVersion.Length != 0)
        {
            span.Meta["version"] = serviceVersion;
        }
    }

    /// <summary>
    /// Events go to meta <c>events</c> and links to meta <c>_dd.span_links</c> as JSON; an event named
    /// <c>exception</c> also sets <c>_dd.span_events.has_exception=true</c>.
    /// </summary>
    private static void ApplyEventsAndLinks(MappedSpan span, OtlpSpan otel)
    {
        if (otel.Events.Any(e => e.Name == "exception"))
        {
            span.Meta["_dd.span_events.has_exception"] = "true";
        }

        if (otel.Events.Count != 0)
        {
            span.Meta[SpanEventsAndLinksJson.EventsMetaKey] = SpanEventsAndLinksJson.MarshalEvents(otel.Events);
        }

        if (otel.Links.Count != 0)
        {
            span.Meta[SpanEventsAndLinksJson.LinksMetaKey] = SpanEventsAndLinksJson.MarshalLinks(otel.Links);
        }
    }

    /// <summary>
    /// Span attributes: integers and doubles become metrics, everything else meta (arrays and maps as JSON
    /// text). <c>datadog.*</c> keys are skipped here (handled above). Unlike resource attributes, an empty
    /// string is copied.
    /// </summary>
    private static void CopySpanAttributes(MappedSpan span, OtlpSpan otel)
    {
        foreach (var attribute in otel.Attributes)
        {
            if (attribute.Key.StartsWith("datadog.", StringComparison.Ordinal) || attribute.Value is null)
            {
                continue;
            }

            switch (attribute.Value.Kind)
            {
                case OtlpAnyValueKind.None:
                    break;
                case OtlpAnyValueKind.Int:
                    AttributeMapping.SetMetric(span, attribute.Key, attribute.Value.IntValue);
                    break;
                case OtlpAnyValueKind.Double:
                    AttributeMapping.SetMetric(span, attribute.Key, attribute.Value.DoubleValue);
                    break;
                default:
                    AttributeMapping.SetMeta(span, attribute.Key, AnyValueText.ToText(attribute.Value)!);
                    break;
            }
        }
    }

    /// <summary>The raw W3C trace state goes to meta <c>w3c.trace_state</c>.</summary>
    private static void ApplyTraceState(MappedSpan span, OtlpSpan otel)
    {
        if (otel.TraceState.Length != 0)
        {
            span.Meta["w3c.trace_state"] = otel.TraceState;
        }
    }

    private static void ApplyScopeTags(MappedSpan span, OtlpScope scope)
    {
        span.ScopeName = scope.Name;
        if (scope.Name.Length != 0)
        {
            span.Meta["otel.scope.name"] = scope.Name;
        }

        if (scope.Version.Length != 0)
        {
            span.Meta["otel.scope.version"] = scope.Version;
        }
    }

    /// <summary>
    /// With a status present, meta <c>otel.status_code</c> holds the <b>numeric</b> code (<c>"2"</c> for ERROR; the Go
    /// agent writes <c>Error</c>) and <c>otel.status_description</c> the message, even when empty.
    /// </summary>
    private static void ApplyStatusTags(MappedSpan span, OtlpSpan otel)
    {
        if (otel.Status is { } status)
        {
            span.Meta["otel.status_code"] = status.Code.ToString(CultureInfo.InvariantCulture);
            span.Meta["otel.status_description"] = status.Message;
        }
    }
}
