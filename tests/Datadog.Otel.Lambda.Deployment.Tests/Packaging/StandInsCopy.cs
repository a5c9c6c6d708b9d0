// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// The stand-ins of the Amazon.Lambda packages (tests/AmazonLambdaStandIns), copied next to a generated user project so
/// that they build there, never in the repository's bin and obj (the test projects' builds of them may be in use, by
/// this run's other target framework too). A small Directory.Build.props above the copy gives them the settings they
/// get from the repository's root props; the repository's Directory.Packages.props pins their package versions.
/// </summary>
internal static class StandInsCopy
{
    /// <summary>Copies the stand-ins under <paramref name="folder"/>.</summary>
    /// <returns>A function giving the path of a stand-in project by name.</returns>
    public static Func<string, string> CopyTo(string folder)
    {
        var root = Directory.CreateDirectory(Path.Combine(folder, "standins")).FullName;
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <LangVersion>latest</LangVersion>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <AnalysisLevel>latest</AnalysisLevel>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
            </Project>
            """);
        File.Copy(RepositoryPaths.Combine("Directory.Packages.props"), Path.Combine(root, "Directory.Packages.props"));

        var source = RepositoryPaths.Combine("tests", "AmazonLambdaStandIns");
        var target = Path.Combine(root, "AmazonLambdaStandIns");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return name => Path.Combine(target, name, name + ".csproj");
    }
}
