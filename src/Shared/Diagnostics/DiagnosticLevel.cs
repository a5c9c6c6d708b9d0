// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Diagnostics;

/// <summary>Severity of a self-diagnostic line, ordered from the most to the least verbose.</summary>
internal enum DiagnosticLevel
{
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
    Off = 4,
}
