// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// A temporary folder where the tests build generated user projects as a user would: MSBuild imports nothing from the
/// folders above it (no Directory.Build.* or central package versions of whatever contains the temporary folder).
/// </summary>
internal static class ScratchFolder
{
    /// <summary>Stops MSBuild's imports from the folders above <paramref name="folder"/>.</summary>
    public static void Isolate(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
    }

    /// <summary>
    /// <see cref="Isolate"/>, and a NuGet.config that adds the packed packages' folder (<paramref name="feed"/>) to the
    /// machine's package sources, as the README's quick start does.
    /// </summary>
    public static void IsolateWithLocalFeed(string folder, string feed)
    {
        Isolate(folder);
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="datadog-otel-lambda-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
    }
}
