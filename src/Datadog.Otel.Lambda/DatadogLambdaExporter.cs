// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>Which exporter <c>AddDatadogLambda</c> adds.</summary>
public enum DatadogLambdaExporter
{
    /// <summary>
    /// Add the OTLP exporter to the Datadog Lambda Extension unless <c>OTEL_TRACES_EXPORTER</c> names another exporter
    /// (for example <c>none</c> or <c>console</c>), or an OTLP exporter is already registered on the same builder.
    /// </summary>
    Auto = 0,

    /// <summary>Always add the OTLP exporter to the extension (or to the <c>OTEL_EXPORTER_OTLP_*</c> endpoint).</summary>
    Extension = 1,

    /// <summary>Add no exporter: spans go only to the exporters you configure yourself, which the wrapper flushes.</summary>
    None = 2,
}
