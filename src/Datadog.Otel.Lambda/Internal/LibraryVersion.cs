// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// The distribution's version (<c>datadog_lambda</c> on <c>aws.lambda</c>, the activity sources' version): the constant
/// <c>Value</c> is generated from the project's <c>Version</c> at build time (the <c>GenerateLibraryVersion</c> target).
/// </summary>
internal static partial class LibraryVersion
{
}
