// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>A summary of one HTTP request the emulator received and how it answered.</summary>
public sealed class ReceivedRequest
{
    internal ReceivedRequest()
    {
    }

    /// <summary>Gets the time the request was answered.</summary>
    public DateTimeOffset ReceivedAt { get; internal init; }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; internal init; } = string.Empty;

    /// <summary>Gets the request path.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>Gets the <c>Content-Type</c> header, or null when absent.</summary>
    public string? ContentType { get; internal init; }

    /// <summary>Gets the <c>Content-Encoding</c> header (e.g. <c>gzip</c>, which the extension does not decode), or null when absent.</summary>
    public string? ContentEncoding { get; internal init; }

    /// <summary>Gets the encoding the body was decoded as, from the content type.</summary>
    public OtlpEncoding Encoding { get; internal init; }

    /// <summary>Gets the number of body bytes read (at most the limit plus one for an oversized body).</summary>
    public long BodyLength { get; internal init; }

    /// <summary>Gets the HTTP status code returned.</summary>
    public int StatusCode { get; internal init; }

    /// <summary>Gets the number of OTLP spans decoded from the body.</summary>
    public int OtlpSpanCount { get; internal init; }

    /// <summary>Gets the number of Datadog spans kept after mapping and filtering.</summary>
    public int DatadogSpanCount { get; internal init; }

    /// <summary>Gets the error message returned to the client, or null on success.</summary>
    public string? Error { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Method} {Path} {ContentType ?? "(no content type)"}{(ContentEncoding is null ? string.Empty : " " + ContentEncoding)} {BodyLength} B -> {StatusCode}{(Error is null ? string.Empty : ": " + Error)}");
}
