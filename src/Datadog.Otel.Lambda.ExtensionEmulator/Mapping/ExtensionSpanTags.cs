// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Runtime.InteropServices;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The tags the extension writes on every span it forwards (spec §2.8; bottlecap <c>tags/lambda/tags.rs</c>
/// <c>tags_from_env</c>), built from the emulator's options: the function tags from its ARN and Lambda environment,
/// then <c>DD_SERVICE</c>/<c>DD_ENV</c>/<c>DD_VERSION</c>, then <c>DD_TAGS</c>. They overwrite the same keys from OTLP.
/// </summary>
/// <remarks>
/// The ARN tags exist only when <see cref="ExtensionEmulatorOptions.FunctionName"/> is set: the extension always has an
/// ARN, but without a function name the emulator keeps its earlier output. Not emulated: <c>_dd.runtime_family</c>
/// (written only with App and API Protection), and the <c>_dd.tags.function</c> field the extension puts on the tracer
/// payload rather than on spans.
/// </remarks>
internal sealed class ExtensionSpanTags
{
    /// <summary>The value of <c>dd_extension_version</c> on emulated spans.</summary>
    public const string EmulatorExtensionVersion = "emulator";

    /// <summary>The qualifier Lambda gives the unpublished version, which the extension leaves out of the tags.</summary>
    private const string LatestVersion = "$LATEST";

    private const string FallbackService = "aws.lambda";

    private ExtensionSpanTags(IReadOnlyDictionary<string, string> tags, string? baseService)
    {
        Tags = tags;
        Service = tags.GetValueOrDefault("service");
        BaseService = baseService;
    }

    /// <summary>Gets the tags added to every span's meta.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Gets the <c>service</c> tag (lower-cased <c>DD_SERVICE</c>, or from <c>DD_TAGS</c>), if any.</summary>
    public string? Service { get; }

    /// <summary>
    /// Gets the <c>_dd.base_service</c> the extension writes on inferred spans, or null when the function is not
    /// emulated (no <see cref="ExtensionEmulatorOptions.FunctionName"/>).
    /// </summary>
    public string? BaseService { get; }

    /// <summary>
    /// Builds the tag map in the extension's order, each later key overwriting an earlier one: the ARN tags,
    /// <c>version</c>, <c>env</c>, <c>service</c> (lower-cased), <c>init_type</c>, <c>memorysize</c>, <c>runtime</c>,
    /// <c>architecture</c>, <c>dd_extension_version</c>, then every <c>DD_TAGS</c> pair.
    /// </summary>
    public static ExtensionSpanTags From(ExtensionEmulatorOptions options)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var functionName = options.FunctionName is { Length: > 0 } name ? name : null;
        if (functionName is not null)
        {
            var region = options.Region ?? ExtensionEmulatorOptions.DefaultRegion;
            var accountId = options.AccountId ?? ExtensionEmulatorOptions.DefaultAccountId;
            AddArnTags(tags, $"arn:{Partition(region)}:lambda:{region}:{accountId}:function:{functionName}", options.FunctionVersion);
        }

        // An empty or blank DD_* variable counts as unset, as in the extension's configuration.
        if (IsSet(options.Version) && options.Version is { } version)
        {
            tags["version"] = version;
        }

        if (IsSet(options.Env) && options.Env is { } env)
        {
            tags["env"] = env;
        }

        if (IsSet(options.Service) && options.Service is { } service)
        {
            tags["service"] = service.ToLowerInvariant();
        }

        // The extension reads these AWS variables with or without an ARN, and keeps an empty value.
        if (options.InitializationType is { } initType)
        {
            tags["init_type"] = initType;
        }

        if (options.MemorySize is { } memorySize)
        {
            tags["memorysize"] = memorySize.ToString(CultureInfo.InvariantCulture);
        }

        if (options.ExecutionEnvironment is { } runtime)
        {
            tags["runtime"] = runtime;
        }

        tags["architecture"] = options.Architecture ?? (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x86_64");
        tags["dd_extension_version"] = EmulatorExtensionVersion;
        foreach (var (key, value) in ParseDdTags(options.Tags))
        {
            tags[key] = value;
        }

        return new ExtensionSpanTags(tags, functionName is null ? null : BaseServiceOf(options, tags));
    }

    /// <summary>
    /// Parses <c>DD_TAGS</c> as the extension does: items separated by commas or spaces, each <c>key:value</c> split at
    /// the first colon; an item without a colon or with an empty key or value is ignored.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseDdTags(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield break;
        }

        foreach (var item in value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon < item.Length - 1)
            {
                yield return new KeyValuePair<string, string>(item[..colon], item[(colon + 1)..]);
            }
        }
    }

    /// <summary>bottlecap <c>config/aws.rs</c> <c>get_aws_partition_by_region</c>.</summary>
    private static string Partition(string region) =>
        region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : "aws";

    /// <summary>
    /// The tags the extension reads back from the ARN it built, by splitting it at colons as it does: the name keeps its
    /// case in <c>functionname</c> and <c>resource</c>, while <c>function_arn</c> is the whole ARN lower-cased.
    /// </summary>
    private static void AddArnTags(Dictionary<string, string> tags, string arn, string? qualifier)
    {
        var parts = arn.Split(':');
        if (parts.Length > 6)
        {
            tags["region"] = parts[3];
            tags["account_id"] = parts[4];
            tags["aws_account"] = parts[4];
            tags["functionname"] = parts[6];
            tags["resource"] = parts[6];
            if (qualifier is not null && qualifier != LatestVersion)
            {
                tags["resource"] = parts[6] + ":" + qualifier;
                tags["executedversion"] = qualifier;
            }
        }

        tags["function_arn"] = arn.ToLowerInvariant();
    }

    /// <summary>
    /// bottlecap <c>trace_processor.rs</c>: <c>get_default_service_name(DD_SERVICE or the functionname tag or
    /// "aws.lambda", "aws.lambda", representation)</c>, which is the fallback when the representation is off. The
    /// service is <c>DD_SERVICE</c> as written (not lower-cased); the function name is the tag, so <c>DD_TAGS</c> can
    /// change it.
    /// </summary>
    private static string BaseServiceOf(ExtensionEmulatorOptions options, Dictionary<string, string> tags)
    {
        if (!options.AwsServiceRepresentationEnabled)
        {
            return FallbackService;
        }

        return IsSet(options.Service) ? options.Service! : tags.GetValueOrDefault("functionname") ?? FallbackService;
    }

    /// <summary>
    /// Whether <c>DD_ENV</c>/<c>DD_SERVICE</c>/<c>DD_VERSION</c> is set as the extension reads it (serverless-components
    /// <c>deserialize_string_or_int</c>: a blank value is unset; any other value is kept as written, spaces included).
    /// </summary>
    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);
}
