// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Runtime.InteropServices;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

/// <summary>
/// The tags the extension writes on every span it forwards (spec §2.8), built from the emulator's
/// <c>DD_SERVICE</c>/<c>DD_ENV</c>/<c>DD_VERSION</c>/<c>DD_TAGS</c> options. They overwrite the same keys from OTLP.
/// </summary>
/// <remarks>
/// Function tags (<c>functionname</c>, <c>region</c>, <c>function_arn</c>, …) come from the Lambda environment in the
/// real extension and are not emulated.
/// </remarks>
internal sealed class ExtensionSpanTags
{
    /// <summary>The value of <c>dd_extension_version</c> on emulated spans.</summary>
    public const string EmulatorExtensionVersion = "emulator";

    private ExtensionSpanTags(IReadOnlyDictionary<string, string> tags, string? service)
    {
        Tags = tags;
        Service = service;
    }

    /// <summary>Gets the tags added to every span's meta.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Gets the lower-cased <c>DD_SERVICE</c>-derived <c>service</c> tag, if any.</summary>
    public string? Service { get; }

    /// <summary>
    /// Builds the tag map in the extension's order: <c>version</c>, <c>env</c>, <c>service</c> (lower-cased),
    /// <c>architecture</c>, <c>dd_extension_version</c>, then every <c>DD_TAGS</c> pair, which wins over the others.
    /// </summary>
    public static ExtensionSpanTags From(ExtensionEmulatorOptions options)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        // An empty variable counts as unset, as in the extension's configuration.
        if (options.Version is { Length: > 0 } version)
        {
            tags["version"] = version;
        }

        if (options.Env is { Length: > 0 } env)
        {
            tags["env"] = env;
        }

        if (options.Service is { Length: > 0 } service)
        {
            tags["service"] = service.ToLowerInvariant();
        }

        tags["architecture"] = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x86_64";
        tags["dd_extension_version"] = EmulatorExtensionVersion;
        foreach (var (key, value) in ParseDdTags(options.Tags))
        {
            tags[key] = value;
        }

        return new ExtensionSpanTags(tags, tags.GetValueOrDefault("service"));
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
}
