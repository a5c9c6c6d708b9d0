// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.IntegrationTests.Reliability;

/// <summary>
/// The figures of docs/reliability.md. The constants are what the tests aim for; what each test really ran (counted as
/// it ran, after its assertions passed) is written by <see cref="Record"/> to <c>reliability/&lt;figure&gt;.txt</c>
/// in the test output directory, and build/reliability-report.sh renders the table from those files.
/// </summary>
internal static class ReliabilityFigures
{
    // Hostile input: generated cases per property (HostileInputProperties).
    public const int MutatedCorpusCases = 20_000;
    public const int HeaderCases = 30_000;
    public const int MessageAttributeCases = 5_000;
    public const int AuthorizerCases = 10_000;
    public const int StepFunctionsCases = 10_000;
    public const int XRayCases = 20_000;
    public const int PayloadCaptureCases = 5_000;
    public const int ByteOrderMarkCases = 2_000;
    public const int PlantedSecretCases = 10_000;
    public const int SecretPayloadCases = 1_000;
    public const int AuthorizerResultCases = 10_000;
    public const int ExceptionGraphCases = 500;

    /// <summary>Hostile events through the whole wrapper and the emulator (WrapperHostileInputTests).</summary>
    public const int WrapperCases = 500;

    // Extension faults (ExtensionFaultTests).
    public const int InvocationsPerFault = 3;
    public const int DeadEndpointInvocations = 10_000;

    // Load (ConcurrencyLoadTests).
    public const int ConcurrentInvocations = 1_000;

    /// <summary>Where the figures of this test run are written.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "reliability");

    /// <summary>Records one measured figure of this run (overwrites the previous run's value).</summary>
    public static void Record(string figure, long value)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, figure + ".txt"), value.ToString(CultureInfo.InvariantCulture));
    }
}
