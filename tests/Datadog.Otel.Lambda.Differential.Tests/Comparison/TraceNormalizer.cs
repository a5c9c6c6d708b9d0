// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.Differential.Tests.Corpus;
using Datadog.Otel.Lambda.Differential.Tests.XRay;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>
/// Turns one side's output for a case into comparable form. Only what must differ between two runs is normalised; the
/// rest is compared as Datadog receives it:
/// <list type="bullet">
/// <item>Spans are named by their role in the trace: <c>aws.lambda</c>; its ancestors <c>inferred</c>,
/// <c>inferred.outer</c>, …; <c>cold_start</c> (Node.js's <c>aws.lambda.load</c>, the extension's
/// <c>aws.lambda.cold_start</c>) and <c>cold_start.module</c> (Node.js's per-module <c>aws.lambda.require*</c>); any
/// other span by its name.</item>
/// <item>Parentage: the parent's role, <c>upstream:{id}</c> for a parent outside the trace (the event's context), or
/// <c>none</c>.</item>
/// <item>Times: event-derived times (before the run's present) as the offset from it in milliseconds, exactly; times
/// taken during the run relative to the side's own <c>aws.lambda</c> span (<c>lambda.start</c> within 1 ms, <c>before
/// lambda.start</c>, <c>during lambda</c>, <c>lambda.end or later</c>).</item>
/// <item>Ids created during the run (span ids, new trace ids) become tokens such as <c>{span:inferred}</c> wherever they
/// appear (meta, span links, the authorizer's injected context); ids from the event stay as they are.</item>
/// <item>The trace id (the lower 64 bits and meta <c>_dd.p.tid</c>, which dd-trace writes in hex and the extension's
/// OTLP path in decimal) and the sampling priority (<c>_sampling_priority_v1</c>, on every span from dd-trace, on the
/// spans that set it over OTLP) are compared once per trace, as Datadog reads them.</item>
/// </list>
/// </summary>
internal sealed partial class TraceNormalizer
{
    private const long Millisecond = 1_000_000;

    private readonly CorpusCase corpusCase;
    private readonly long presentNs;
    private readonly Dictionary<ulong, string> roles = [];
    private readonly Dictionary<string, string> idTokens = new(StringComparer.Ordinal);
    private string? traceLowDecimal;
    private string? traceLowToken;
    private long lambdaStart;
    private long lambdaEnd;

    private TraceNormalizer(CorpusCase corpusCase, DateTimeOffset present)
    {
        this.corpusCase = corpusCase;
        this.presentNs = present.ToUnixTimeMilliseconds() * Millisecond;
    }

    public static NormalizedTrace Normalize(CorpusCase corpusCase, SideRun run, IReadOnlyList<XRayDatagram> xray, DateTimeOffset present) =>
        new TraceNormalizer(corpusCase, present).Run(run, xray);

    private NormalizedTrace Run(SideRun run, IReadOnlyList<XRayDatagram> xray)
    {
        var spans = run.Spans;
        var lambda = spans.Single(s => s.Name == "aws.lambda" && s.GetMeta("request_id") == this.corpusCase.RequestId);
        this.lambdaStart = lambda.Start;
        this.lambdaEnd = lambda.Start + lambda.Duration;
        this.AssignRoles(spans, lambda);

        var result = new NormalizedTrace();
        foreach (var span in spans)
        {
            this.AddSpan(result, span);
        }

        this.AddTrace(result, spans, lambda);
        this.AddResult(result, run.Result);
        foreach (var group in xray.GroupBy(d => d.Key))
        {
            var index = 0;
            foreach (var datagram in group)
            {
                this.AddXRay(result, "xray:" + group.Key + (index++ == 0 ? string.Empty : "#" + index), datagram);
            }
        }

        return result;
    }

    private void AssignRoles(IReadOnlyList<DatadogSpan> spans, DatadogSpan lambda)
    {
        var byId = new Dictionary<ulong, DatadogSpan>();
        foreach (var span in spans)
        {
            byId.TryAdd(span.SpanId, span);
        }

        this.roles[lambda.SpanId] = "aws.lambda";
        var current = lambda;
        for (var depth = 0; byId.TryGetValue(current.ParentId, out var parent) && !this.roles.ContainsKey(parent.SpanId); depth++)
        {
            this.roles[parent.SpanId] = depth == 0 ? "inferred" : depth == 1 ? "inferred.outer" : "inferred.outer" + depth.ToString(CultureInfo.InvariantCulture);
            current = parent;
        }

        var used = new HashSet<string>(this.roles.Values, StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (this.roles.ContainsKey(span.SpanId))
            {
                continue;
            }

            var role = span.Name switch
            {
                "aws.lambda.load" or "aws.lambda.cold_start" or "aws.lambda.snapstart_restore" => "cold_start",
                var name when name.StartsWith("aws.lambda.require", StringComparison.Ordinal) => "cold_start.module",
                var name => name,
            };
            var unique = role;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = role + "#" + n.ToString(CultureInfo.InvariantCulture);
            }

            this.roles[span.SpanId] = unique;
        }

        // The trace's tokens first: dd-trace gives a new trace's root span the trace id's lower half as its span id, and
        // the span's name is the more telling token.
        if (this.corpusCase.NewTrace)
        {
            this.idTokens[lambda.TraceIdHex] = "{trace}";
            this.idTokens[lambda.TraceIdHigh.ToString("x16", CultureInfo.InvariantCulture)] = "{trace.high}";
            this.idTokens[lambda.TraceId.ToString(CultureInfo.InvariantCulture)] = "{trace.low}";
            this.traceLowDecimal = lambda.TraceId.ToString(CultureInfo.InvariantCulture);
            this.traceLowToken = "{trace.low}";
            this.idTokens[lambda.TraceId.ToString("x16", CultureInfo.InvariantCulture)] = "{trace.low}";
        }

        foreach (var (id, role) in this.roles)
        {
            this.idTokens[id.ToString(CultureInfo.InvariantCulture)] = "{span:" + role + "}";
            this.idTokens[id.ToString("x16", CultureInfo.InvariantCulture)] = "{span:" + role + "}";
        }
    }

    private void AddSpan(NormalizedTrace result, DatadogSpan span)
    {
        var normalized = result.Add(this.roles[span.SpanId], span.Name);
        var fields = normalized.Fields;
        fields["name"] = span.Name;
        fields["service"] = span.Service;
        fields["resource"] = span.Resource;
        fields["type"] = span.Type;
        fields["error"] = span.Error.ToString(CultureInfo.InvariantCulture);
        fields["parent"] = span.ParentId == 0 ? "none"
            : this.roles.TryGetValue(span.ParentId, out var parentRole) ? parentRole
            : "upstream:" + span.ParentId.ToString(CultureInfo.InvariantCulture);
        fields["start"] = this.Time(span.Start);
        fields["end"] = this.Time(span.Start + span.Duration);
        foreach (var (key, value) in span.Meta)
        {
            if (key == "_dd.p.tid")
            {
                continue;
            }

            fields["meta." + key] = key == "_dd.span_links" ? this.SpanLinks(value) : this.Tokenize(value);
        }

        foreach (var (key, value) in span.Metrics)
        {
            if (key == "_sampling_priority_v1")
            {
                continue;
            }

            fields["metrics." + key] = value.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    private void AddTrace(NormalizedTrace result, IReadOnlyList<DatadogSpan> spans, DatadogSpan lambda)
    {
        var trace = result.Add("trace", "trace");
        trace.Fields["trace_id"] = this.corpusCase.NewTrace ? NewTraceIdForm(lambda) : lambda.TraceIdHex;

        // The chunk's priority as Datadog reads it: the root span's, else the first span that has one.
        var root = spans.FirstOrDefault(s => s.ParentId == 0 || !spans.Any(p => p.SpanId == s.ParentId)) ?? lambda;
        var priority = root.GetMetric("_sampling_priority_v1") ?? spans.Select(s => s.GetMetric("_sampling_priority_v1")).FirstOrDefault(p => p is not null);
        if (priority is { } p)
        {
            trace.Fields["sampling_priority"] = p.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A new trace's id is random: its form is what can be compared (Datadog's 128-bit ids start with the Unix seconds, then 32 zero bits).</summary>
    private static string NewTraceIdForm(DatadogSpan lambda)
    {
        if (lambda.TraceId == 0)
        {
            return "zero";
        }

        if (lambda.TraceIdHigh == 0)
        {
            return "new 64-bit trace id";
        }

        var seconds = (long)(lambda.TraceIdHigh >> 32);
        var timePrefixed = (lambda.TraceIdHigh & 0xffffffff) == 0 && Math.Abs(seconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 86_400;
        return timePrefixed ? "new 128-bit trace id {seconds}00000000{random}" : "new 128-bit trace id of another form " + lambda.TraceIdHex;
    }

    private void AddResult(NormalizedTrace result, SideResult side)
    {
        var span = result.Add("result", "result");
        if (side.Error is { } error)
        {
            span.Fields["error"] = error;
            return;
        }

        this.Flatten(span.Fields, "value", side.Value);
    }

    private void AddXRay(NormalizedTrace result, string role, XRayDatagram datagram)
    {
        var span = result.Add(role, datagram.Key);
        span.Fields["header"] = datagram.Header;
        var document = (JsonObject)datagram.Document.DeepClone();
        if (document["id"] is JsonValue id && id.TryGetValue<string>(out var text) && HexId().IsMatch(text))
        {
            document["id"] = "{16 random hex digits}";
        }

        if (document["start_time"] is JsonValue start && start.TryGetValue<double>(out var startSeconds))
        {
            var runWindow = startSeconds * 1e9 >= this.presentNs && startSeconds * 1e9 <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * (double)Millisecond;
            document["start_time"] = runWindow ? "{a time during the run}" : "{a time outside the run}";
            if (document["end_time"] is JsonValue end && end.TryGetValue<double>(out var endSeconds) && endSeconds == startSeconds)
            {
                document["end_time"] = "{= start_time}";
            }
        }

        this.Flatten(span.Fields, "document", document);
    }

    private void Flatten(SortedDictionary<string, string> fields, string path, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    this.Flatten(fields, path + "." + key, value);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    this.Flatten(fields, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", array[i]);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && path.EndsWith("._datadog", StringComparison.Ordinal) && TryDecodeBase64Json(text, out var decoded):
                // An authorizer's injected trace context: base64 JSON of its trace headers.
                this.Flatten(fields, path, decoded);
                break;
            case JsonValue value when path.EndsWith("finish-time", StringComparison.Ordinal) && value.TryGetValue<double>(out var ns):
                fields[path] = this.Time((long)ns);
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && path.EndsWith("x-datadog-trace-id", StringComparison.Ordinal) && this.traceLowToken is { } traceLow && text == this.traceLowDecimal:
                // A new trace's root span has the trace id's lower half as its span id in dd-trace: name it as a trace id here.
                fields[path] = JsonSerializer.Serialize(traceLow);
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && path.EndsWith("x-datadog-tags", StringComparison.Ordinal):
                // Propagated tags are a set: their order carries nothing.
                fields[path] = JsonSerializer.Serialize(this.Tokenize(string.Join(",", text.Split(',').Order(StringComparer.Ordinal))));
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                fields[path] = JsonSerializer.Serialize(this.Tokenize(text));
                break;
            default:
                fields[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static bool TryDecodeBase64Json(string text, out JsonNode? decoded)
    {
        decoded = null;
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            return false;
        }

        try
        {
            decoded = JsonNode.Parse(buffer.AsSpan(0, length));
            return decoded is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private string Time(long ns)
    {
        if (ns < this.presentNs)
        {
            var ms = (long)Math.Round((ns - this.presentNs) / (double)Millisecond);
            return "event" + ms.ToString("+0;-0", CultureInfo.InvariantCulture) + "ms";
        }

        if (Math.Abs(ns - this.lambdaStart) <= Millisecond)
        {
            return "lambda.start";
        }

        if (ns < this.lambdaStart)
        {
            return "before lambda.start";
        }

        return ns >= this.lambdaEnd - Millisecond ? "lambda.end or later" : "during lambda";
    }

    /// <summary>Replaces the ids created during the run (decimal or hex) with tokens naming the span they belong to.</summary>
    private string Tokenize(string value) =>
        this.idTokens.Count == 0 ? value : IdLike().Replace(value, m => this.idTokens.TryGetValue(m.Value, out var token) ? token : m.Value);

    /// <summary>Span links as a sorted list of <c>trace/span {attributes}</c>, whatever JSON layout the sender used.</summary>
    private string SpanLinks(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonArray links)
            {
                return this.Tokenize(json);
            }

            var canonical = links.Select(link =>
            {
                var traceId = link?["trace_id"]?.ToString() ?? "?";
                var high = link?["trace_id_high"]?.ToString();
                var full = high is null ? traceId.PadLeft(32, '0') : high.PadLeft(16, '0') + traceId.PadLeft(16, '0');
                var attributes = (link?["attributes"] as JsonObject)?.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value) ?? [];
                var extra = new StringBuilder();
                foreach (var key in (string[])["tracestate", "flags"])
                {
                    if (link?[key] is { } v)
                    {
                        extra.Append(' ').Append(key).Append('=').Append(v.ToString());
                    }
                }

                return this.Tokenize(full + "/" + (link?["span_id"]?.ToString() ?? "?").PadLeft(16, '0')) + " {" + string.Join(",", attributes) + "}" + extra;
            }).Order(StringComparer.Ordinal);
            return string.Join("; ", canonical);
        }
        catch (JsonException)
        {
            return this.Tokenize(json);
        }
    }

    [GeneratedRegex("[0-9a-f]{16,32}|[0-9]{4,20}")]
    private static partial Regex IdLike();

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex HexId();
}
