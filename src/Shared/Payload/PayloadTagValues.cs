// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Tag values, names and limits shared by the Lambda payload capture and the AWS SDK payload tagging.</summary>
internal static class PayloadTagValues
{
    /// <summary>Replaces the whole value of a redacted key or path.</summary>
    public const string Redacted = "redacted";

    /// <summary>AWS SDK tagging: an object or array below the maximum depth.</summary>
    public const string Truncated = "truncated";

    /// <summary>A JSON null (see <see cref="IPayloadTagSink"/> for why it is text).</summary>
    public const string Null = "null";

    public const string True = "true";
    public const string False = "false";

    /// <summary>Set (to <c>true</c>) when tags were left out because the tag cap was reached.</summary>
    public const string IncompleteTag = "_dd.payload_tags_incomplete";

    /// <summary>Every value is cut to 5000 code points (Python's <c>str</c> slicing; Node.js cuts UTF-16 units).</summary>
    public const int MaxValueLength = 5000;

    /// <summary>
    /// The UTF-16 units a value of <see cref="MaxValueLength"/> code points can hold (every one a surrogate pair): what
    /// the scrubbing and the compact JSON text must produce before the cut of <see cref="PayloadText.Truncate"/>.
    /// </summary>
    public const int MaxValueUtf16Length = 2 * MaxValueLength;

    /// <summary>dd-trace's cap on payload tags per span (<c>DD_TRACE_CLOUD_PAYLOAD_TAGGING_MAX_TAGS</c>' default).</summary>
    public const int DefaultMaxTags = 758;

    public const int DefaultMaxDepth = 10;

    /// <summary>
    /// Upper bound for a configured depth: the walk recurses once per level, and nothing useful is this deep.
    /// </summary>
    public const int MaxAllowedDepth = 64;

    /// <summary>
    /// A member whose full tag key would be longer than this is skipped (with its subtree). Real keys are well
    /// under a hundred characters; the bound stops a hostile megabyte-long property name from being copied
    /// into every tag key beneath it.
    /// </summary>
    public const int MaxKeyLength = 1024;

    /// <summary>
    /// Total length of JSON strings parsed for expansion per payload (as dd-trace-js bounds it): an event full of
    /// large JSON bodies costs one megabyte of parsing at most; the rest are tagged as text.
    /// </summary>
    public const int MaxExpansionChars = 1_000_000;

    /// <summary>Nesting accepted inside a JSON string that is expanded (System.Text.Json's default).</summary>
    public const int MaxNestedJsonDepth = 64;

    /// <summary>Nesting accepted in an event or a response read as a whole (deeper ones are not parsed).</summary>
    public const int MaxEventDepth = 256;
}
