// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// Options of the <see cref="ExtensionEmulator"/>. The <c>DD_*</c> values are what the extension would read from
/// the function's environment; the emulator never reads them from its own process environment.
/// </summary>
public sealed class ExtensionEmulatorOptions
{
    /// <summary>The request body limit the extension's HTTP server applies (axum's 2 MiB default).</summary>
    public const int DefaultMaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>Gets or sets the port to listen on, on 127.0.0.1 only; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Gets or sets the largest accepted request body in bytes; a larger body is answered with HTTP 400, as
    /// the extension does. Defaults to <see cref="DefaultMaxRequestBodyBytes"/>.
    /// </summary>
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Gets or sets the emulated <c>DD_SERVICE</c>: meta <c>service</c> (lower-cased) on every span, and the service of spans named <c>aws.lambda</c> as a service.</summary>
    public string? Service { get; set; }

    /// <summary>Gets or sets the emulated <c>DD_ENV</c>: meta <c>env</c> on every span, overwriting the OTLP value.</summary>
    public string? Env { get; set; }

    /// <summary>Gets or sets the emulated <c>DD_VERSION</c>: meta <c>version</c> on every span, overwriting the OTLP value.</summary>
    public string? Version { get; set; }

    /// <summary>
    /// Gets or sets the emulated <c>DD_TAGS</c>, in its syntax: <c>key:value</c> items separated by commas or spaces.
    /// Each tag is written on every span and wins over <see cref="Service"/>, <see cref="Env"/> and <see cref="Version"/>.
    /// </summary>
    public string? Tags { get; set; }

    /// <summary>
    /// Gets or sets a file to which disposing the emulator writes every trace it received as an HTML page (waterfall
    /// and flame graph, viewable offline; see <see cref="TraceHtmlRenderer"/>) and prints where; null (the default)
    /// writes nothing.
    /// </summary>
    public string? HtmlReportPath { get; set; }

    /// <summary>Gets or sets the clock used where the extension reads the time (normalising start times before 2000); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
