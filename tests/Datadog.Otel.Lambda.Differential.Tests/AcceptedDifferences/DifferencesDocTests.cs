// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests.AcceptedDifferences;

/// <summary>docs/triggers.md shows the accepted differences the test uses, generated from the same data.</summary>
public sealed class DifferencesDocTests
{
    [Fact]
    public void TriggersDocShowsTheAcceptedDifferencesData()
    {
        var rows = AcceptedDifferenceSet.Load().Rows;
        var expected = DifferencesDocSection.Generate(rows);
        var document = File.ReadAllText(DifferencesDocSection.DocPath);
        if (Environment.GetEnvironmentVariable("DIFFERENTIAL_WRITE_DOCS") == "1")
        {
            document = DifferencesDocSection.Replace(document, expected);
            File.WriteAllText(DifferencesDocSection.DocPath, document);
        }

        Assert.True(
            DifferencesDocSection.Read(document) == expected,
            "docs/triggers.md's table of differences is not the one accepted-differences.json gives; regenerate it with DIFFERENTIAL_WRITE_DOCS=1 dotnet test tests/Datadog.Otel.Lambda.Differential.Tests --filter FullyQualifiedName~DifferencesDocTests");
    }

    [Fact]
    public void EveryRowSaysWhatEachLibraryDoesAndWhy()
    {
        foreach (var row in AcceptedDifferenceSet.Load().Rows)
        {
            Assert.Contains(row.Kind, (string[])["library", "tracer", "otlp", "semconv", "pending"]);
            Assert.False(string.IsNullOrWhiteSpace(row.Topic), row.Id);
            Assert.False(string.IsNullOrWhiteSpace(row.Node), row.Id);
            Assert.False(string.IsNullOrWhiteSpace(row.Here), row.Id);
            Assert.False(string.IsNullOrWhiteSpace(row.Why), row.Id);
            Assert.False(string.IsNullOrWhiteSpace(row.Python), row.Id);
        }
    }
}
