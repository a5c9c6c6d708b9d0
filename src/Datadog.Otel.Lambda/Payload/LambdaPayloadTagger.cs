// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Flattens the Lambda event and the handler's result into <c>function.request.*</c> / <c>function.response.*</c>
/// tags on the <c>aws.lambda</c> span (spec 8.1, <c>tag_object</c>/<c>tagObject</c>).
/// </summary>
/// <remarks>
/// <para>The rules, and the choices where Python and Node differ (we take Node's forms for text made from values):</para>
/// <list type="bullet">
/// <item>Keys are joined with <c>.</c> and not escaped; array elements use their index (<c>vals.0.thingOne</c>).</item>
/// <item>JSON null is the text <c>null</c> (Node's stringified form; Python sets <c>None</c>). It is checked before the depth.</item>
/// <item>Booleans are <c>true</c>/<c>false</c> (Node; Python writes <c>True</c>/<c>False</c>). Numbers in the payload
/// are written as Python's <c>str()</c> writes the number it parsed (<see cref="PythonNumberText"/>: <c>1.50</c> →
/// <c>1.5</c>, <c>1e3</c> → <c>1000.0</c>, <c>-0</c> → <c>0</c>), as are numbers held in strings (below).</item>
/// <item>At depth ≥ max depth (root = 0) the value becomes its compact JSON text (Node's <c>JSON.stringify</c>; Python
/// writes a repr such as <c>{'level3': 3}</c>), cut to 5000 code points. A string there is JSON text too, quotes
/// included (<c>"nice"</c>), exactly as Node writes it; see <see cref="CompactJsonText"/> for the other details.</item>
/// <item>A string holding one JSON value (after JSON whitespace) is read as that value, one depth level deeper (both
/// libraries parse every string). An object or array is expanded under the same key; a JSON string literal
/// (<c>"\"abc\""</c>) is visited again as a string; <c>"null"</c> is the null tag; <c>"true"</c>/<c>"false"</c> are the
/// booleans above; a number is written as Python's <c>str()</c> writes the parsed value (<see cref="PythonNumberText"/>:
/// <c>"1.50"</c> → <c>1.5</c>, <c>"1e3"</c> → <c>1000.0</c>). Only strict JSON is read (Python's ujson also reads
/// <c>NaN</c>, <c>Infinity</c>, <c>01</c>, <c>1.</c>); other strings are tested by their first character only.</item>
/// <item>Strings are cut to 5000 code points (Python's slicing; <see cref="PayloadText.Truncate"/>). <c>{}</c> and
/// <c>[]</c> above the max depth write nothing (Node).</item>
/// <item>A response parsed from a string starts one level deep (the caller passes the depth): Python's
/// <c>tag_object</c> spends a level on a <c>str</c> before it parses it. A missing response is the null tag
/// (<see cref="TagNull"/>).</item>
/// <item>Redaction: a member whose name's last dot-separated segment is sensitive (<see cref="RedactionRules"/>:
/// <see cref="SensitiveKeys"/> and the user's names) is written as one tag <c>redacted</c>, whatever its value (object,
/// array, number, null), case-insensitively. The libraries redact only string leaves, which leaks
/// <c>{"token": {"value": "…"}}</c>. Every string written as a value, and the compact JSON text past the maximum depth,
/// goes through <see cref="SecretText"/>: a string that looks like JSON but cannot be expanded (too deep, too large, not
/// quite JSON), a query string or form body, base64 data, is never exported with its secrets.</item>
/// <item>At most <see cref="LambdaPayloadCaptureSettings.MaxTags"/> tags per payload; the next one is replaced by
/// <c>_dd.payload_tags_incomplete=true</c> and the walk stops. Members are visited in document order.</item>
/// <item>Never throws: a failure ends the walk with the tags written so far and a diagnostic.</item>
/// </list>
/// <para>OpenTelemetry .NET keeps 128 attributes per span by default and silently drops later ones, so payload tags
/// are written after the span's own tags, and the caller raises the attribute limit when capture is on.</para>
/// </remarks>
internal static class LambdaPayloadTagger
{
    public const string RequestPrefix = "function.request";
    public const string ResponsePrefix = "function.response";

    // A JSON null, read by the walk as any other null (one tag, checked before the depth).
    private static readonly JsonElement NullValue = JsonDocument.Parse("null").RootElement;

    /// <summary>Tags <paramref name="payload"/> under <paramref name="prefix"/>; returns the number of tags written (the incomplete marker not counted).</summary>
    /// <remarks>
    /// <paramref name="maxTags"/> overrides <see cref="LambdaPayloadCaptureSettings.MaxTags"/>, e.g. to share one budget
    /// between request and response. <paramref name="depth"/> is the depth of the root: 1 for a payload parsed from a
    /// string, which costs Python's <c>tag_object</c> a level before it parses it.
    /// </remarks>
    public static int Tag<TSink>(string prefix, JsonElement payload, LambdaPayloadCaptureSettings settings, TSink sink, int? maxTags = null, int depth = 0)
        where TSink : IPayloadTagSink
    {
        var walker = new Walker<TSink>(prefix, settings, maxTags, sink);
        try
        {
            walker.Visit(payload, depth);
            walker.Report(prefix);
            return walker.Count;
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("payload capture", exception);
            return walker.Count;
        }
        finally
        {
            walker.Dispose();
        }
    }

    /// <summary>
    /// Tags a missing payload (a handler without a result, a null result, or an exception) as JSON null under the
    /// prefix, as Python tags its <c>None</c>.
    /// </summary>
    public static int TagNull<TSink>(string prefix, LambdaPayloadCaptureSettings settings, TSink sink)
        where TSink : IPayloadTagSink =>
        Tag(prefix, NullValue, settings, sink);

    /// <summary>
    /// Tags a serialized payload (the handler's response as UTF-8 JSON). Bytes that are not JSON are tagged like a
    /// string that is not JSON: their text, cut to 5000 code points, under the prefix.
    /// </summary>
    public static int Tag<TSink>(string prefix, ReadOnlySpan<byte> utf8Json, LambdaPayloadCaptureSettings settings, TSink sink, int? maxTags = null)
        where TSink : IPayloadTagSink
    {
        JsonDocument? document = null;
        if (Internal.SafeJson.NeedsRepair(utf8Json))
        {
            // Strings a .NET string cannot hold (invalid UTF-8, unpaired surrogate escapes) would stop the walk.
            utf8Json = Internal.SafeJson.Repair(utf8Json);
        }

        try
        {
            var reader = new Utf8JsonReader(Internal.Utf8Bom.Skip(utf8Json), new JsonReaderOptions { MaxDepth = PayloadTagValues.MaxEventDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                // A second value after the first: not one JSON document.
                document.Dispose();
                throw new JsonException("trailing content");
            }
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(utf8Json[..Math.Min(utf8Json.Length, PayloadTagValues.MaxValueLength * 4)]);
            if ((maxTags ?? settings.MaxTags) <= 0)
            {
                return 0;
            }

            try
            {
                sink.SetTag(prefix, PayloadText.Truncate(SecretText.Scrub(text, settings.Redaction)));
                return 1;
            }
            catch (Exception exception)
            {
                Diag.TracingFailed("payload capture", exception);
                return 0;
            }
        }

        using (document)
        {
            return Tag(prefix, document.RootElement, settings, sink, maxTags);
        }
    }

    private struct Walker<TSink> : IDisposable
        where TSink : IPayloadTagSink
    {
        private readonly TSink sink;
        private readonly RedactionRules rules;
        private readonly int maxDepth;
        private readonly int maxTags;
        private PayloadKeyBuilder key;
        private int expansionBudget;
        private int skippedKeys;
        private bool stopped;

        public Walker(string prefix, LambdaPayloadCaptureSettings settings, int? maxTags, TSink sink)
        {
            this.sink = sink;
            rules = settings.Redaction;
            maxDepth = Math.Clamp(settings.MaxDepth, 0, PayloadTagValues.MaxAllowedDepth);
            this.maxTags = Math.Max(0, maxTags ?? settings.MaxTags);
            key = new PayloadKeyBuilder(prefix);
            expansionBudget = PayloadTagValues.MaxExpansionChars;
        }

        public int Count { get; private set; }

        public void Visit(JsonElement value, int depth)
        {
            if (stopped)
            {
                return;
            }

            var kind = value.ValueKind;
            if (kind == JsonValueKind.Null)
            {
                Write(PayloadTagValues.Null);
                return;
            }

            if (kind == JsonValueKind.Undefined)
            {
                return;
            }

            if (depth >= maxDepth)
            {
                Write(PayloadText.Truncate(CompactJsonText.Write(value, PayloadTagValues.MaxValueUtf16Length, rules)));
                return;
            }

            depth++;
            switch (kind)
            {
                case JsonValueKind.String:
                    VisitString(value.GetString()!, depth);
                    break;
                case JsonValueKind.Number:
                    // As Python's str() writes the number it parsed (1.50 → 1.5, 1e3 → 1000.0, -0 → 0).
                    var raw = value.GetRawText();
                    Write(PayloadText.Truncate(PythonNumberText.Format(raw, raw)));
                    break;
                case JsonValueKind.True:
                    Write(PayloadTagValues.True);
                    break;
                case JsonValueKind.False:
                    Write(PayloadTagValues.False);
                    break;
                case JsonValueKind.Object:
                    foreach (var member in value.EnumerateObject())
                    {
                        if (stopped)
                        {
                            return;
                        }

                        var name = member.Name;
                        var mark = key.Length;
                        if (!key.TryAppendName(name, escapeDots: false))
                        {
                            skippedKeys++;
                            continue;
                        }

                        if (rules.IsSensitiveLastSegment(name))
                        {
                            Write(PayloadTagValues.Redacted);
                        }
                        else
                        {
                            Visit(member.Value, depth);
                        }

                        key.Truncate(mark);
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (stopped)
                        {
                            return;
                        }

                        var mark = key.Length;
                        if (!key.TryAppendIndex(index++))
                        {
                            skippedKeys++;
                            continue;
                        }

                        Visit(item, depth);
                        key.Truncate(mark);
                    }

                    break;
            }
        }

        public readonly void Report(string prefix)
        {
            if ((stopped || skippedKeys > 0) && Diag.IsDebugEnabled)
            {
                Diag.Debug("payload", $"{prefix}: wrote {Count} tags{(stopped ? $", stopped at the cap of {maxTags}" : string.Empty)}{(skippedKeys > 0 ? $", skipped {skippedKeys} members whose keys exceed {PayloadTagValues.MaxKeyLength} characters" : string.Empty)}");
            }
        }

        public void Dispose() => key.Dispose();

        // The string has already cost its depth level, so an expanded value is visited one level deeper. Numbers,
        // booleans and null read from a string are written the same at any depth, as Python's str() writes them there.
        private void VisitString(string text, int depth)
        {
            switch (JsonTextShapes.Of(text, out var scalar))
            {
                case JsonTextShape.Document:
                    if (PayloadText.TryParse(text, ref expansionBudget, out _, out var document))
                    {
                        using (document)
                        {
                            Visit(document!.RootElement, depth);
                        }

                        return;
                    }

                    break;
                case JsonTextShape.Number when PayloadText.TryCharge(text, ref expansionBudget):
                    Write(PayloadText.Truncate(PythonNumberText.Format(scalar, text)));
                    return;
                case JsonTextShape.True when PayloadText.TryCharge(text, ref expansionBudget):
                    Write(PayloadTagValues.True);
                    return;
                case JsonTextShape.False when PayloadText.TryCharge(text, ref expansionBudget):
                    Write(PayloadTagValues.False);
                    return;
                case JsonTextShape.Null when PayloadText.TryCharge(text, ref expansionBudget):
                    Write(PayloadTagValues.Null);
                    return;
            }

            // Not expanded (plain text, or JSON too deep, too large or broken): never exported with its secrets.
            Write(PayloadText.Truncate(SecretText.Scrub(text, rules)));
        }

        private void Write(string value)
        {
            if (Count >= maxTags)
            {
                sink.SetTag(PayloadTagValues.IncompleteTag, PayloadTagValues.True);
                stopped = true;
                return;
            }

            sink.SetTag(key.ToString(), value);
            Count++;
        }
    }
}
