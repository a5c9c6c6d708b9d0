// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.CodeAnalysis;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// AWS SDK payload tagging (spec 8.2): which directions are tagged, for which services, with which redaction paths.
/// All paths are compiled here, once, into one <see cref="JsonPathRedactionSet"/> per service and direction.
/// </summary>
/// <remarks>
/// <para><c>DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING</c> / <c>DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING</c>: unset or empty
/// is off; <c>all</c> is on with the default redactions; otherwise comma-separated JSONPaths, on with the defaults
/// plus those paths. One path that does not compile (or is empty), or more paths than are compiled, turns that
/// direction off with a diagnostic. dd-trace-py drops all of a variable's paths when one is invalid and stops tagging
/// only when neither direction has any; dd-trace-js ignores the invalid path alone. Both can tag the field a mistyped
/// path meant to redact. Commas inside brackets or quotes do not split paths.</para>
/// <para>Each direction uses its own list (dd-trace-js); dd-trace-py applies both lists to both directions.</para>
/// <para><c>DD_TRACE_CLOUD_PAYLOAD_TAGGING_SERVICES</c> (default <c>s3,sns,sqs,kinesis,eventbridge,dynamodb</c>) is
/// matched by service name, so EventBridge is tagged with the default list (see
/// <see cref="AwsPayloadRedactionDefaults.Canonical"/>). A listed service with no defaults gets the user's paths
/// and the sensitive-key redaction only.</para>
/// </remarks>
internal sealed class AwsPayloadTaggingSettings
{
    public static readonly IReadOnlyList<string> DefaultServices =
    [
        AwsPayloadRedactionDefaults.S3,
        AwsPayloadRedactionDefaults.Sns,
        AwsPayloadRedactionDefaults.Sqs,
        AwsPayloadRedactionDefaults.Kinesis,
        AwsPayloadRedactionDefaults.EventBridge,
        AwsPayloadRedactionDefaults.DynamoDb,
    ];

    public static readonly AwsPayloadTaggingSettings Disabled = Create(null, null);

    private const int MaxTagsLimit = 100_000;

    // Room kept in every set for the longest default list (EventBridge requests: 12 paths).
    private const int MaxDefaultPaths = 16;

    private readonly Dictionary<string, ServiceRules> rules;

    private AwsPayloadTaggingSettings(
        bool requestsEnabled,
        bool responsesEnabled,
        int maxDepth,
        int maxTags,
        IReadOnlyList<string> services,
        IReadOnlyList<JsonPathPattern> requestPaths,
        IReadOnlyList<JsonPathPattern> responsePaths,
        Dictionary<string, ServiceRules> rules)
    {
        RequestsEnabled = requestsEnabled;
        ResponsesEnabled = responsesEnabled;
        MaxDepth = maxDepth;
        MaxTags = maxTags;
        Services = services;
        RequestPaths = requestPaths;
        ResponsePaths = responsePaths;
        this.rules = rules;
    }

    public bool RequestsEnabled { get; }

    public bool ResponsesEnabled { get; }

    public bool Enabled => RequestsEnabled || ResponsesEnabled;

    /// <summary>Nesting levels tagged (root = 0); an object or array at this depth is tagged <c>truncated</c>.</summary>
    public int MaxDepth { get; }

    /// <summary>Tags per payload; one more is replaced by <c>_dd.payload_tags_incomplete=true</c>.</summary>
    public int MaxTags { get; }

    /// <summary>Canonical names of the services whose payloads are tagged.</summary>
    public IReadOnlyList<string> Services { get; }

    /// <summary>The user's request paths that compiled (the defaults are not included).</summary>
    public IReadOnlyList<JsonPathPattern> RequestPaths { get; }

    /// <summary>The user's response paths that compiled (the defaults are not included).</summary>
    public IReadOnlyList<JsonPathPattern> ResponsePaths { get; }

    public static AwsPayloadTaggingSettings FromEnvironment(IEnvironmentSource environment) => Create(
        environment.Get(EnvironmentVariables.DdCloudRequestPayloadTagging),
        environment.Get(EnvironmentVariables.DdCloudResponsePayloadTagging),
        SettingParsers.ClampedInt(environment, EnvironmentVariables.DdCloudPayloadTaggingMaxDepth, PayloadTagValues.DefaultMaxDepth, 0, PayloadTagValues.MaxAllowedDepth),
        SettingParsers.Int(environment, EnvironmentVariables.DdCloudPayloadTaggingMaxTags, PayloadTagValues.DefaultMaxTags, 0, MaxTagsLimit),
        SettingParsers.Text(environment, EnvironmentVariables.DdCloudPayloadTaggingServices));

    /// <summary>Builds settings from the variables' raw values (the same parsing as <see cref="FromEnvironment"/>).</summary>
    internal static AwsPayloadTaggingSettings Create(
        string? request,
        string? response,
        int maxDepth = PayloadTagValues.DefaultMaxDepth,
        int maxTags = PayloadTagValues.DefaultMaxTags,
        string? services = null)
    {
        var requestPaths = string.IsNullOrWhiteSpace(request) ? null : ParsePaths(EnvironmentVariables.DdCloudRequestPayloadTagging, request);
        var responsePaths = string.IsNullOrWhiteSpace(response) ? null : ParsePaths(EnvironmentVariables.DdCloudResponsePayloadTagging, response);
        var requestsEnabled = requestPaths is not null;
        var responsesEnabled = responsePaths is not null;
        var serviceList = ParseServices(services);

        var rules = new Dictionary<string, ServiceRules>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in serviceList)
        {
            var serviceRules = new ServiceRules(
                requestPaths is null ? null : Compile(service, AwsPayloadDirection.Request, requestPaths),
                responsePaths is null ? null : Compile(service, AwsPayloadDirection.Response, responsePaths));
            rules[service] = serviceRules;
            foreach (var alias in Aliases(service))
            {
                rules[alias] = serviceRules;
            }
        }

        return new AwsPayloadTaggingSettings(
            requestsEnabled,
            responsesEnabled,
            Math.Clamp(maxDepth, 0, PayloadTagValues.MaxAllowedDepth),
            Math.Clamp(maxTags, 0, MaxTagsLimit),
            serviceList,
            requestPaths ?? [],
            responsePaths ?? [],
            rules);
    }

    /// <summary>
    /// The redactions for a payload of <paramref name="service"/> (the list's names, SDK service ids such as
    /// <c>SQS</c> or <c>EventBridge</c>, or <c>events</c>; case-insensitive); false when that payload is not tagged.
    /// </summary>
    public bool TryGetRedactions(string service, AwsPayloadDirection direction, [NotNullWhen(true)] out JsonPathRedactionSet? redactions)
    {
        redactions = null;
        if (!Enabled || string.IsNullOrEmpty(service) || !rules.TryGetValue(service, out var serviceRules))
        {
            return false;
        }

        redactions = direction == AwsPayloadDirection.Request ? serviceRules.Request : serviceRules.Response;
        return redactions is not null;
    }

    /// <summary>Splits on commas outside brackets and quotes (so <c>$['a,b']</c> stays one path).</summary>
    internal static List<string> SplitPaths(string value)
    {
        var paths = new List<string>();
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    paths.Add(value[start..i]);
                    start = i + 1;
                    break;
            }
        }

        paths.Add(value[start..]);
        return paths;
    }

    /// <summary>
    /// The user's paths of one direction, or null when one of them is not a path (an empty one included) or there are
    /// more than we compile: that direction is then not tagged at all, so that a typo never tags the field it meant to
    /// redact (stricter than dd-trace-py, which stops only when neither direction has valid paths).
    /// </summary>
    private static List<JsonPathPattern>? ParsePaths(string variable, string value)
    {
        var patterns = new List<JsonPathPattern>();
        var trimmed = value.Trim();
        if (trimmed.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return patterns;
        }

        foreach (var piece in SplitPaths(trimmed))
        {
            var path = piece.Trim();
            if (path.Length == 0)
            {
                Diag.InvalidSetting(variable, value, "an empty path; payloads of this direction are not tagged");
                return null;
            }

            if (!JsonPathPattern.TryParse(path, out var pattern, out var error))
            {
                Diag.InvalidSetting(variable, path, $"{error}; payloads of this direction are not tagged");
                return null;
            }

            if (patterns.Count == JsonPathRedactionSet.MaxPatterns - MaxDefaultPaths)
            {
                // Dropping the paths past the bound would leave their fields tagged.
                Diag.InvalidSetting(variable, path, $"more than {JsonPathRedactionSet.MaxPatterns - MaxDefaultPaths} paths; payloads of this direction are not tagged");
                return null;
            }

            patterns.Add(pattern);
        }

        return patterns;
    }

    private static List<string> ParseServices(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [.. DefaultServices];
        }

        var services = new List<string>();
        foreach (var piece in value.Split(','))
        {
            if (piece.Trim().Length == 0)
            {
                continue;
            }

            var canonical = AwsPayloadRedactionDefaults.Canonical(piece);
            if (!services.Contains(canonical))
            {
                services.Add(canonical);
            }

            // botocore's email endpoint prefix serves SES and SES v2, whose SDK clients have their own names here.
            if (canonical == "ses" && !services.Contains("sesv2"))
            {
                services.Add("sesv2");
            }
        }

        return services;
    }

    private static JsonPathRedactionSet Compile(string service, AwsPayloadDirection direction, List<JsonPathPattern> userPaths)
    {
        var patterns = new List<JsonPathPattern>();
        foreach (var text in AwsPayloadRedactionDefaults.For(service, direction))
        {
            // The defaults are constants covered by tests; a failure here is a bug, not a user error.
            if (JsonPathPattern.TryParse(text, out var pattern, out _))
            {
                patterns.Add(pattern);
            }
        }

        patterns.AddRange(userPaths);
        return new JsonPathRedactionSet(patterns);
    }

    private static string[] Aliases(string canonical) => canonical switch
    {
        AwsPayloadRedactionDefaults.EventBridge => ["events", "cloudwatchevents", "cloudwatch events"],
        AwsPayloadRedactionDefaults.DynamoDb => ["dynamodbv2"],
        _ => [],
    };

    private sealed record ServiceRules(JsonPathRedactionSet? Request, JsonPathRedactionSet? Response);
}
