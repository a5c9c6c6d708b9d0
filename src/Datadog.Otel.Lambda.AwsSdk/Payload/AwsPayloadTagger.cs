// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// Flattens an AWS SDK request or response body into <c>aws.request.body.*</c> / <c>aws.response.body.*</c> tags
/// on the SDK call's span, with redaction (spec 8.2, dd-trace's payload tagging).
/// </summary>
/// <remarks>
/// <para>The input is the body in the API's JSON shape (the JSON protocol body, or an equivalent built from a
/// query-protocol request), so paths such as <c>$..PublishBatchRequestEntries[*].Message</c> apply.</para>
/// <list type="bullet">
/// <item>Keys: <c>.</c> inside a member name is escaped as <c>\.</c>; array elements use their index.</item>
/// <item>Depth follows dd-trace-js: the root is depth 0, its members depth 1; an object or array at depth ≥ max
/// is tagged <c>truncated</c>, a scalar there is kept (<c>1.2.3.4.5.6.7.8.9.10: 11</c>).</item>
/// <item>A string holding a JSON object or array is parsed and replaces the string at the same depth (dd-trace-js
/// expands in place; dd-trace-py parses every string, at one extra level). Scalars in strings stay text. Such a
/// string at or below the max depth is <c>truncated</c> without parsing: its text could hold what the paths redact.
/// Past the expansion budget (<see cref="PayloadTagValues.MaxExpansionChars"/>) it is <c>truncated</c> too, and
/// the payload is marked incomplete.</item>
/// <item>Redaction, whole value → <c>redacted</c>: any path of the set (compiled defaults + user paths) that selects
/// the key, matched through expanded JSON too; and any member named as a <see cref="SensitiveKeys"/> entry,
/// case-insensitively (dd-trace-js' key list plus the design's additions).</item>
/// <item>Null → <c>null</c>; booleans <c>true</c>/<c>false</c>; numbers as written; values cut to 5000 code points.</item>
/// <item>At most max-tags tags; when one more would be written, <c>_dd.payload_tags_incomplete=true</c> is set instead
/// and the walk stops (dd-trace-py's count: 759 leaves give 758 tags and the marker; dd-trace-js counts the marker
/// in the 758).</item>
/// <item>Never throws: a failure ends the walk with the tags written so far and a diagnostic.</item>
/// </list>
/// <para>OpenTelemetry .NET keeps 128 attributes per span by default and silently drops later ones, so payload tags
/// are written after the span's own tags, and the caller raises the attribute limit when tagging is on.</para>
/// </remarks>
internal static class AwsPayloadTagger
{
    public const string RequestPrefix = "aws.request.body";
    public const string ResponsePrefix = "aws.response.body";

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Tags a request body when the settings tag requests of <paramref name="service"/>; returns the tags written.</summary>
    public static int TagRequest<TSink>(AwsPayloadTaggingSettings settings, string service, JsonElement body, TSink sink)
        where TSink : IPayloadTagSink =>
        settings.TryGetRedactions(service, AwsPayloadDirection.Request, out var redactions)
            ? Tag(RequestPrefix, body, redactions, settings.MaxDepth, settings.MaxTags, sink, Base64Records(service))
            : 0;

    /// <summary>Tags a response body when the settings tag responses of <paramref name="service"/>; returns the tags written.</summary>
    public static int TagResponse<TSink>(AwsPayloadTaggingSettings settings, string service, JsonElement body, TSink sink)
        where TSink : IPayloadTagSink =>
        settings.TryGetRedactions(service, AwsPayloadDirection.Response, out var redactions)
            ? Tag(ResponsePrefix, body, redactions, settings.MaxDepth, settings.MaxTags, sink)
            : 0;

    /// <summary>
    /// Tags <paramref name="body"/> under <paramref name="prefix"/> with explicit rules; returns the tags written (the
    /// marker not counted). With <paramref name="base64Json"/>, a string that is base64 of a JSON object or array is
    /// expanded as that JSON.
    /// </summary>
    public static int Tag<TSink>(string prefix, JsonElement body, JsonPathRedactionSet redactions, int maxDepth, int maxTags, TSink sink, bool base64Json = false)
        where TSink : IPayloadTagSink
    {
        var walker = new Walker<TSink>(prefix, redactions, maxDepth, maxTags, sink, base64Json);
        try
        {
            Span<ulong> states = stackalloc ulong[redactions.Count];
            redactions.Start(states);
            walker.Visit(body, 0, states, live: redactions.Count > 0);
            walker.Finish(prefix);
            return walker.Count;
        }
        catch (Exception exception)
        {
            Diag.TracingFailed("payload tagging", exception);
            return walker.Count;
        }
        finally
        {
            walker.Dispose();
        }
    }

    /// <summary>
    /// Kinesis and Firehose records carry their data as base64 in the marshalled request, where dd-trace-py tags the
    /// bytes the user passed and expands them when they are JSON: without decoding, a record's fields would be tagged
    /// as one base64 string that the user's paths cannot reach.
    /// </summary>
    private static bool Base64Records(string service) =>
        service.Equals("kinesis", StringComparison.OrdinalIgnoreCase) || service.Equals("firehose", StringComparison.OrdinalIgnoreCase);

    private struct Walker<TSink> : IDisposable
        where TSink : IPayloadTagSink
    {
        private readonly TSink sink;
        private readonly JsonPathRedactionSet redactions;
        private readonly int maxDepth;
        private readonly int maxTags;
        private readonly bool base64Json;
        private PayloadKeyBuilder key;

        // The depth of the record objects below the root member being visited: 1 under Firehose's Record, 2 under the
        // Records of Kinesis and Firehose batches; 0 elsewhere (the root is a record of Kinesis PutRecord).
        private int recordDepth;
        private int expansionBudget;
        private int skippedKeys;
        private bool incomplete;
        private bool stopped;

        public Walker(string prefix, JsonPathRedactionSet redactions, int maxDepth, int maxTags, TSink sink, bool base64Json)
        {
            this.sink = sink;
            this.base64Json = base64Json;
            recordDepth = -1;
            this.redactions = redactions;
            this.maxDepth = Math.Clamp(maxDepth, 0, PayloadTagValues.MaxAllowedDepth);
            this.maxTags = Math.Max(0, maxTags);
            key = new PayloadKeyBuilder(prefix);
            expansionBudget = PayloadTagValues.MaxExpansionChars;
        }

        public int Count { get; private set; }

        // states: the redaction states for this value's key, only read when live (some path can still match below).
        public void Visit(JsonElement value, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            if (stopped)
            {
                return;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Object or JsonValueKind.Array when depth >= maxDepth:
                    Write(PayloadTagValues.Truncated);
                    break;
                case JsonValueKind.Object:
                    VisitObject(value, depth, states, live);
                    break;
                case JsonValueKind.Array:
                    VisitArray(value, depth, states, live);
                    break;
                case JsonValueKind.String:
                    VisitString(value.GetString()!, depth, states, live);
                    break;
                case JsonValueKind.Number:
                    Write(PayloadText.Truncate(value.GetRawText()));
                    break;
                case JsonValueKind.True:
                    Write(PayloadTagValues.True);
                    break;
                case JsonValueKind.False:
                    Write(PayloadTagValues.False);
                    break;
                case JsonValueKind.Null:
                    Write(PayloadTagValues.Null);
                    break;
            }
        }

        public void Finish(string prefix)
        {
            if (incomplete && !stopped)
            {
                sink.SetTag(PayloadTagValues.IncompleteTag, PayloadTagValues.True);
            }

            if ((stopped || incomplete || skippedKeys > 0) && Diag.IsDebugEnabled)
            {
                Diag.Debug("payload", $"{prefix}: wrote {Count} tags{(stopped ? $", stopped at the cap of {maxTags}" : string.Empty)}{(incomplete ? ", JSON strings beyond the expansion budget were truncated" : string.Empty)}{(skippedKeys > 0 ? $", skipped {skippedKeys} members whose keys exceed {PayloadTagValues.MaxKeyLength} characters" : string.Empty)}");
            }
        }

        public void Dispose() => key.Dispose();

        private void VisitObject(JsonElement value, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            Span<ulong> next = live ? stackalloc ulong[redactions.Count] : default;
            foreach (var member in value.EnumerateObject())
            {
                if (stopped)
                {
                    return;
                }

                var name = member.Name;
                var mark = key.Length;
                if (!key.TryAppendName(name, escapeDots: true))
                {
                    skippedKeys++;
                    continue;
                }

                var childLive = false;
                if (SensitiveKeys.IsSensitive(name) || (live && redactions.Advance(states, name, -1, next, out childLive)))
                {
                    Write(PayloadTagValues.Redacted);
                }
                else if (base64Json && (depth == 0 || depth == recordDepth) && name == "Data" && member.Value.ValueKind == JsonValueKind.String)
                {
                    VisitRecordData(member.Value.GetString()!, depth + 1, next, childLive);
                }
                else if (base64Json && depth == 0 && name is "Record" or "Records")
                {
                    recordDepth = name == "Record" ? 1 : 2;
                    Visit(member.Value, depth + 1, next, childLive);
                    recordDepth = -1;
                }
                else
                {
                    Visit(member.Value, depth + 1, next, childLive);
                }

                key.Truncate(mark);
            }
        }

        private void VisitArray(JsonElement value, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            Span<ulong> next = live ? stackalloc ulong[redactions.Count] : default;
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (stopped)
                {
                    return;
                }

                var mark = key.Length;
                var current = index++;
                if (!key.TryAppendIndex(current))
                {
                    skippedKeys++;
                    continue;
                }

                var childLive = false;
                if (live && redactions.Advance(states, null, current, next, out childLive))
                {
                    Write(PayloadTagValues.Redacted);
                }
                else
                {
                    Visit(item, depth + 1, next, childLive);
                }

                key.Truncate(mark);
            }
        }

        private void VisitString(string text, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            if (!PayloadText.LooksLikeContainer(text))
            {
                Write(PayloadText.Truncate(SecretText.Scrub(text, RedactionRules.Default)));
                return;
            }

            if (depth >= maxDepth)
            {
                Write(PayloadTagValues.Truncated);
                return;
            }

            if (TryExpand(text, depth, states, live))
            {
                return;
            }

            // JSON that cannot be expanded (too deep, not quite JSON) is never exported with its secrets.
            Write(PayloadText.Truncate(SecretText.Scrub(text, RedactionRules.Default)));
        }

        /// <summary>
        /// Expands JSON text in place of the string that held it: true when it was expanded, or written as
        /// <c>truncated</c> past the expansion budget (the payload then marked incomplete); false when it is not JSON.
        /// </summary>
        private bool TryExpand(string json, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            if (PayloadText.TryParseContainer(json, ref expansionBudget, out var overBudget, out var document))
            {
                using (document)
                {
                    Visit(document!.RootElement, depth, states, live);
                }

                return true;
            }

            if (overBudget)
            {
                incomplete = true;
                Write(PayloadTagValues.Truncated);
                return true;
            }

            return false;
        }

        /// <summary>
        /// A record's data, base64 in the marshalled request: expanded as JSON when it decodes to a JSON object or array
        /// (under the same depth and expansion-budget rules as a JSON string), else tagged as the base64 text it is.
        /// </summary>
        private void VisitRecordData(string text, int depth, ReadOnlySpan<ulong> states, bool live)
        {
            if (!StartsAsJsonContainer(text))
            {
                VisitString(text, depth, states, live);
                return;
            }

            if (depth >= maxDepth)
            {
                Write(PayloadTagValues.Truncated);
                return;
            }

            var maxBytes = text.Length / 4 * 3;
            if (maxBytes > expansionBudget)
            {
                incomplete = true;
                Write(PayloadTagValues.Truncated);
                return;
            }

            string? decoded = null;
            var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes);
            try
            {
                if (Convert.TryFromBase64String(text, rented, out var written))
                {
                    decoded = StrictUtf8.GetString(rented, 0, written);
                }
            }
            catch (System.Text.DecoderFallbackException)
            {
                decoded = null;
            }
            finally
            {
                // The record's data may hold what the paths redact: it does not stay in the shared pool.
                System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }

            if (decoded is null || !TryExpand(decoded, depth, states, live))
            {
                VisitString(text, depth, states, live);
            }
        }

        /// <summary>Whether base64 text decodes to bytes whose first non-blank one opens a JSON object or array (from its first 4 characters, 3 bytes).</summary>
        private static bool StartsAsJsonContainer(string text)
        {
            if (text.Length < 4 || text.Length % 4 != 0)
            {
                return false;
            }

            Span<byte> head = stackalloc byte[3];
            if (!Convert.TryFromBase64Chars(text.AsSpan(0, 4), head, out var written))
            {
                return false;
            }

            foreach (var b in head[..written])
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }

                return b is (byte)'{' or (byte)'[';
            }

            return false;
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
