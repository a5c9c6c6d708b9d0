// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda;

/// <summary>
/// Where settings are read from, by their environment variable names: the provider's <c>IConfiguration</c> in production
/// (see <see cref="EnvironmentSource"/>), a dictionary in tests.
/// </summary>
internal interface IEnvironmentSource
{
    string? Get(string name);
}
