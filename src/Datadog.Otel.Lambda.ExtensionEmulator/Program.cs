// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator;

internal static class Program
{
    public static int Main() => 0;
}
