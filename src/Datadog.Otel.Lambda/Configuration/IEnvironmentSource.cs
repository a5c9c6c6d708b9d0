// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>Where settings are read from: the process environment in production, a dictionary in tests.</summary>
internal interface IEnvironmentSource
{
    string? Get(string name);
}
