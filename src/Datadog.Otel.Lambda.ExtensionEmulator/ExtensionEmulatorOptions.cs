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

    /// <summary>The account id of the emulated function's ARN when <see cref="AccountId"/> is unset (AWS's documentation example).</summary>
    public const string DefaultAccountId = "123456789012";

    /// <summary>The region the extension assumes when <c>AWS_DEFAULT_REGION</c> is unset.</summary>
    public const string DefaultRegion = "us-east-1";

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
    /// Gets or sets the function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>). When set, the emulator builds the function's
    /// ARN as the extension does (<c>arn:{partition}:lambda:{region}:{account}:function:{name}</c>) and writes the tags
    /// derived from it on every span (<c>functionname</c>, <c>resource</c>, <c>region</c>, <c>account_id</c>,
    /// <c>aws_account</c>, <c>function_arn</c>, <c>executedversion</c>), and <c>_dd.base_service</c> on inferred spans.
    /// Null (the default) emulates none of these, as before these options existed.
    /// </summary>
    public string? FunctionName { get; set; }

    /// <summary>
    /// Gets or sets the function's region (<c>AWS_DEFAULT_REGION</c>); null means <see cref="DefaultRegion"/>, as in the
    /// extension. Its prefix picks the ARN's partition: <c>us-gov-</c> is <c>aws-us-gov</c>, <c>cn-</c> is <c>aws-cn</c>,
    /// anything else <c>aws</c>. Used only with <see cref="FunctionName"/>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Gets or sets the function's account id, which the extension gets from its registration with the Extensions API;
    /// <see cref="DefaultAccountId"/> when null. Used only with <see cref="FunctionName"/>.
    /// </summary>
    public string? AccountId { get; set; }

    /// <summary>
    /// Gets or sets the function's version (<c>AWS_LAMBDA_FUNCTION_VERSION</c>): a version other than <c>$LATEST</c> is
    /// the ARN's qualifier in the <c>resource</c> tag (<c>name:qualifier</c>) and the <c>executedversion</c> tag; the
    /// <c>function_arn</c> tag never has it. Used only with <see cref="FunctionName"/>.
    /// </summary>
    public string? FunctionVersion { get; set; }

    /// <summary>Gets or sets the function's memory in MB (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>): meta <c>memorysize</c> on every span when set.</summary>
    public int? MemorySize { get; set; }

    /// <summary>
    /// Gets or sets the function's initialization type (<c>AWS_LAMBDA_INITIALIZATION_TYPE</c>: <c>on-demand</c>,
    /// <c>provisioned-concurrency</c>, <c>snap-start</c>…): meta <c>init_type</c> on every span when set.
    /// </summary>
    public string? InitializationType { get; set; }

    /// <summary>
    /// Gets or sets the function's runtime as Lambda names it in <c>AWS_EXECUTION_ENV</c> (<c>AWS_Lambda_dotnet8</c>;
    /// Lambda does not set it for OS-only runtimes): meta <c>runtime</c> on every span when set.
    /// </summary>
    public string? ExecutionEnvironment { get; set; }

    /// <summary>
    /// Gets or sets the function's architecture as the extension names it (<c>x86_64</c> or <c>arm64</c>): meta
    /// <c>architecture</c> on every span. Null (the default) uses this process's architecture, as the extension
    /// reports the one it runs on.
    /// </summary>
    public string? Architecture { get; set; }

    /// <summary>
    /// Gets or sets the emulated <c>DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED</c>: true (the default) unless the
    /// variable is <c>false</c> or <c>0</c>. With <see cref="FunctionName"/> set, it picks <c>_dd.base_service</c> on
    /// inferred spans: <see cref="Service"/>, else the function name, when true; <c>aws.lambda</c> when false.
    /// </summary>
    public bool AwsServiceRepresentationEnabled { get; set; } = true;

    /// <summary>
    /// Gets or sets a file to which disposing the emulator writes every trace it received as an HTML page (waterfall
    /// and flame graph, viewable offline; see <see cref="TraceHtmlRenderer"/>) and prints where; null (the default)
    /// writes nothing.
    /// </summary>
    public string? HtmlReportPath { get; set; }

    /// <summary>Gets or sets the clock used where the extension reads the time (normalising start times before 2000); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
