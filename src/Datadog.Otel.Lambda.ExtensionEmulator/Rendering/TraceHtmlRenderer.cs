// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// Renders traces as one self-contained HTML page: per trace a waterfall and a flame graph (operation, service,
/// resource, duration, errors, links and span pointers in each span's tooltip, a table of links). Selecting a span
/// shows its details as Datadog's span panel does: its tags (meta and metrics), error, events, links and span pointers.
/// Filters select traces by service, function and trigger. CSS, script and data are inline, so the page opens offline
/// from a file.
/// </summary>
public static class TraceHtmlRenderer
{
    private const string TemplateResource = "Datadog.Otel.Lambda.ExtensionEmulator.Rendering.TraceView.html";

    private const string DataMarker = "__DATA__";

    private const string InvocationOperation = "aws.lambda";

    private const string TriggerTag = "function_trigger.event_source";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>Renders the traces as an HTML page.</summary>
    /// <param name="traces">The traces, drawn in this order.</param>
    /// <param name="title">The page title; "Datadog Lambda traces" when null.</param>
    /// <returns>The page.</returns>
    public static string RenderHtml(IReadOnlyList<DatadogTrace> traces, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var data = Encoding.UTF8.GetString(SerializeTraces(traces));

        // Split at the data marker first, so that neither the title nor span text is ever searched for markers.
        var template = Template.Value;
        var at = template.IndexOf(DataMarker, StringComparison.Ordinal);
        var head = template[..at].Replace("__TITLE__", WebUtility.HtmlEncode(title ?? "Datadog Lambda traces"), StringComparison.Ordinal);
        return string.Concat(head, data, template.AsSpan(at + DataMarker.Length));
    }

    /// <summary>Renders the traces as an HTML page and writes it to a file, creating its directory.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="traces">The traces, drawn in this order.</param>
    /// <param name="title">The page title; "Datadog Lambda traces" when null.</param>
    /// <returns>The full path of the file written.</returns>
    public static string WriteHtml(string path, IReadOnlyList<DatadogTrace> traces, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, RenderHtml(traces, title), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return fullPath;
    }

    // The JSON goes inside a <script> element: the writer's default encoder escapes '<', '>' and '&', so no span
    // text can close the element or inject markup; the script builds the page with textContent only.
    private static byte[] SerializeTraces(IReadOnlyList<DatadogTrace> traces)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("generated", DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture));
            json.WriteStartArray("traces");
            foreach (var trace in traces)
            {
                WriteTrace(json, trace);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTrace(Utf8JsonWriter json, DatadogTrace trace)
    {
        var start = trace.Spans.Count == 0 ? 0 : trace.Spans.Min(s => s.Start);
        var end = trace.Spans.Count == 0 ? 0 : trace.Spans.Max(s => s.Start + s.Duration);
        json.WriteStartObject();
        json.WriteString("traceId", trace.TraceId.ToString(CultureInfo.InvariantCulture));
        if (trace.SamplingPriority is { } priority)
        {
            json.WriteNumber("priority", priority);
        }
        else
        {
            json.WriteNull("priority");
        }

        json.WriteNumber("duration", Milliseconds(end - start));
        json.WriteNumber("errors", trace.Spans.Count(s => s.Error != 0));
        WriteStrings(json, "services", trace.Spans.Select(s => s.Service));

        // What the filters select by: the invocations' function names (aws.lambda's resource) and triggers.
        var invocations = trace.Spans.Where(s => s.Name == InvocationOperation).ToList();
        json.WriteBoolean("lambda", invocations.Count != 0);
        WriteStrings(json, "functions", invocations.Select(s => s.Resource));
        WriteStrings(json, "triggers", invocations.Select(s => s.GetMeta(TriggerTag) ?? string.Empty).Where(t => t.Length != 0));
        json.WriteStartArray("spans");
        foreach (var (span, depth) in TraceRenderer.WaterfallOrder(trace))
        {
            WriteSpan(json, trace, span, depth, start);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteSpan(Utf8JsonWriter json, DatadogTrace trace, DatadogSpan span, int depth, long traceStart)
    {
        json.WriteStartObject();

        // Ids as text: JavaScript numbers lose precision above 2^53.
        json.WriteString("id", span.SpanId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("parent", span.ParentId.ToString(CultureInfo.InvariantCulture));
        json.WriteString("traceIdHex", span.TraceIdHex);
        json.WriteNumber("depth", depth);
        json.WriteBoolean("orphan", TraceRenderer.IsOrphan(trace, span, depth));
        json.WriteString("name", span.Name);
        json.WriteString("service", span.Service);
        json.WriteString("resource", span.Resource);
        json.WriteString("type", span.Type);
        json.WriteString("kind", span.Kind.ToString().ToLowerInvariant());
        json.WriteNumber("start", Milliseconds(span.Start - traceStart));
        json.WriteNumber("duration", Milliseconds(span.Duration));
        json.WriteBoolean("error", span.Error != 0);
        json.WriteString("errorType", span.GetMeta("error.type"));
        json.WriteString("errorMessage", span.GetMeta("error.msg") ?? span.GetMeta("error.message"));
        json.WriteString("errorStack", span.GetMeta("error.stack"));
        WriteTags(json, span);
        json.WriteStartArray("events");
        foreach (var spanEvent in span.Events)
        {
            json.WriteStartObject();
            json.WriteString("name", spanEvent.Name);
            json.WriteNumber("offset", Milliseconds((long)spanEvent.TimeUnixNano - span.Start));
            WriteAttributes(json, spanEvent.Attributes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("links");
        foreach (var link in span.Links)
        {
            WriteLink(json, link);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Meta (strings) and metrics (numbers) in one list sorted by key, as Datadog's span panel lists a span's tags; the
    /// JSON that holds the events and links is shown in their own sections instead.
    /// </summary>
    private static void WriteTags(Utf8JsonWriter json, DatadogSpan span)
    {
        var tags = new List<(string Key, string Value, bool Metric)>(span.Meta.Count + span.Metrics.Count);
        foreach (var (key, value) in span.Meta)
        {
            if (key is not (Mapping.SpanEventsAndLinksJson.EventsMetaKey or Mapping.SpanEventsAndLinksJson.LinksMetaKey))
            {
                tags.Add((key, value, false));
            }
        }

        foreach (var (key, value) in span.Metrics)
        {
            tags.Add((key, value.ToString("R", CultureInfo.InvariantCulture), true));
        }

        tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        json.WriteStartArray("tags");
        foreach (var (key, value, metric) in tags)
        {
            json.WriteStartArray();
            json.WriteStringValue(key);
            json.WriteStringValue(value);
            json.WriteBooleanValue(metric);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    private static void WriteAttributes(Utf8JsonWriter json, IReadOnlyDictionary<string, string> attributes)
    {
        json.WriteStartArray("attributes");
        foreach (var (key, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json.WriteStartArray();
            json.WriteStringValue(key);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    private static void WriteLink(Utf8JsonWriter json, DatadogSpanLink link)
    {
        link.Attributes.TryGetValue("link.kind", out var kind);
        var pointer = string.Equals(kind, "span-pointer", StringComparison.Ordinal);
        json.WriteStartObject();
        json.WriteBoolean("pointer", pointer);
        json.WriteString("traceId", link.TraceIdHex);
        json.WriteString("spanId", link.SpanIdHex);
        if (pointer)
        {
            link.Attributes.TryGetValue("ptr.kind", out var pointerKind);
            link.Attributes.TryGetValue("ptr.dir", out var direction);
            link.Attributes.TryGetValue("ptr.hash", out var hash);
            var arrow = direction == "u" ? "upstream" : direction == "d" ? "downstream" : direction;
            json.WriteString("label", $"{pointerKind} {arrow} {hash}");
            json.WriteString("pointerKind", pointerKind);
            json.WriteString("direction", arrow);
            json.WriteString("hash", hash);
        }
        else
        {
            json.WriteString("label", $"trace {link.TraceIdHex} span {link.SpanIdHex}");
        }

        WriteAttributes(json, link.Attributes);
        json.WriteEndObject();
    }

    private static double Milliseconds(long nanoseconds) => nanoseconds / 1_000_000.0;

    private static string LoadTemplate()
    {
        using var stream = typeof(TraceHtmlRenderer).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException("Embedded resource missing: " + TemplateResource);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
