// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// Propagation configuration from the environment, with Datadog's names and precedence:
/// <c>DD_TRACE_PROPAGATION_STYLE_EXTRACT</c> / <c>_INJECT</c> (and their older <c>DD_PROPAGATION_STYLE_*</c> names),
/// then <c>DD_TRACE_PROPAGATION_STYLE</c>, then <c>OTEL_PROPAGATORS</c>, then <c>datadog,tracecontext,baggage</c>.
/// </summary>
internal sealed class PropagationSettings
{
    public static readonly IReadOnlyList<DatadogPropagationStyle> DefaultStyles =
        [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Baggage];

    public IReadOnlyList<DatadogPropagationStyle> ExtractStyles { get; init; } = DefaultStyles;

    public IReadOnlyList<DatadogPropagationStyle> InjectStyles { get; init; } = DefaultStyles;

    public bool ExtractFirst { get; init; }

    public DatadogPropagationBehavior ExtractBehavior { get; init; }

    public int XDatadogTagsMaxLength { get; init; } = PropagationTagNames.DefaultTagsMaxLength;

    public static PropagationSettings FromEnvironment(IEnvironmentSource environment)
    {
        if (!string.IsNullOrWhiteSpace(environment.Get(EnvironmentVariables.DdTraceExtractor)))
        {
            Diag.Warn("config", "DD_TRACE_EXTRACTOR names a Python/JavaScript function; .NET cannot load code by name safely under Native AOT. Set DatadogLambdaOptions.TraceExtractor in code instead. The variable is ignored.");
        }

        var both = ReadStyles(environment, EnvironmentVariables.DdPropagationStyle)
            ?? ReadStyles(environment, EnvironmentVariables.OtelPropagators);
        return new PropagationSettings
        {
            ExtractStyles = ReadStyles(environment, EnvironmentVariables.DdPropagationStyleExtract)
                ?? ReadStyles(environment, EnvironmentVariables.DdPropagationStyleExtractLegacy)
                ?? both
                ?? DefaultStyles,
            InjectStyles = ReadStyles(environment, EnvironmentVariables.DdPropagationStyleInject)
                ?? ReadStyles(environment, EnvironmentVariables.DdPropagationStyleInjectLegacy)
                ?? both
                ?? DefaultStyles,
            ExtractFirst = SettingParsers.Bool(environment, EnvironmentVariables.DdPropagationExtractFirst, false),
            ExtractBehavior = ReadBehavior(environment),
            XDatadogTagsMaxLength = SettingParsers.Int(environment, EnvironmentVariables.DdXDatadogTagsMaxLength, PropagationTagNames.DefaultTagsMaxLength, 0, 1 << 16),
        };
    }

    /// <summary>
    /// Parses a comma-separated style list, case-insensitively; unknown names are skipped with a diagnostic.
    /// <c>none</c> gives an empty list. A list with no known name at all is ignored (the next setting applies).
    /// </summary>
    public static IReadOnlyList<DatadogPropagationStyle>? ParseStyles(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var styles = new List<DatadogPropagationStyle>(4);
        var none = false;
        foreach (var part in value.Split(','))
        {
            var item = part.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            if (TryParseStyle(item, out var style))
            {
                if (!styles.Contains(style))
                {
                    styles.Add(style);
                }
            }
            else if (item.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                none = true;
            }
            else
            {
                Diag.InvalidSetting(name, item, "unknown propagation style; ignored");
            }
        }

        if (styles.Count == 0 && !none)
        {
            return null;
        }

        return styles;
    }

    public static bool TryParseStyle(string name, out DatadogPropagationStyle style)
    {
        switch (name.ToUpperInvariant())
        {
            case "DATADOG":
                style = DatadogPropagationStyle.Datadog;
                return true;
            case "TRACECONTEXT":
                style = DatadogPropagationStyle.TraceContext;
                return true;
            case "B3MULTI":
                style = DatadogPropagationStyle.B3Multi;
                return true;
            case "B3":
            case "B3 SINGLE HEADER":
            case "B3SINGLEHEADER":
                style = DatadogPropagationStyle.B3SingleHeader;
                return true;
            case "XRAY":
                style = DatadogPropagationStyle.XRay;
                return true;
            case "BAGGAGE":
                style = DatadogPropagationStyle.Baggage;
                return true;
            default:
                style = default;
                return false;
        }
    }

    public DatadogPropagationOptions ToOptions() => new()
    {
        ExtractStyles = ExtractStyles,
        InjectStyles = InjectStyles,
        ExtractFirst = ExtractFirst,
        ExtractBehavior = ExtractBehavior,
        XDatadogTagsMaxLength = XDatadogTagsMaxLength,
    };

    public DatadogCompositePropagator CreatePropagator() => new(ToOptions());

    private static IReadOnlyList<DatadogPropagationStyle>? ReadStyles(IEnvironmentSource environment, string name) =>
        ParseStyles(name, environment.Get(name));

    private static DatadogPropagationBehavior ReadBehavior(IEnvironmentSource environment)
    {
        var raw = SettingParsers.Text(environment, EnvironmentVariables.DdPropagationBehaviorExtract);
        if (raw is null)
        {
            return DatadogPropagationBehavior.Continue;
        }

        switch (raw.ToUpperInvariant())
        {
            case "CONTINUE":
                return DatadogPropagationBehavior.Continue;
            case "RESTART":
                return DatadogPropagationBehavior.Restart;
            case "IGNORE":
                return DatadogPropagationBehavior.Ignore;
            default:
                Diag.InvalidSetting(EnvironmentVariables.DdPropagationBehaviorExtract, raw, "expected continue, restart or ignore; using continue");
                return DatadogPropagationBehavior.Continue;
        }
    }
}
