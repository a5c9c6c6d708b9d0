// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.IntegrationTests.Reliability;

/// <summary>
/// The figures of docs/reliability.md. The tests run exactly these numbers of cases, faults, invocations and secrets
/// (each test asserts what it ran against its figure), and ReliabilityReportTests renders the table from them and
/// compares it with the committed document, so the document always states what the test command does.
/// </summary>
internal static class ReliabilityFigures
{
    // Hostile input: generated cases per property (HostileInputProperties).
    public const int MutatedCorpusCases = 40_000;
    public const int HeaderCases = 15_000;
    public const int MessageAttributeCases = 10_000;
    public const int AuthorizerCases = 10_000;
    public const int StepFunctionsCases = 10_000;
    public const int XRayCases = 10_000;
    public const int PayloadCaptureCases = 10_000;

    /// <summary>Mutated events through the whole wrapper (WrapperMutationTests).</summary>
    public const int WrapperCases = 2_000;

    /// <summary>Secrets in the hostile payloads that must come out redacted (PayloadRedactionProperties).</summary>
    public const int RedactionCases = 5_000;

    public const int PropertyCases = MutatedCorpusCases + HeaderCases + MessageAttributeCases + AuthorizerCases + StepFunctionsCases + XRayCases + PayloadCaptureCases + RedactionCases;

    // Extension faults (ExtensionFaultTests, DeadEndpointTests).
    public const int FaultKinds = 9;
    public const int InvocationsPerFault = 3;
    public const int DeadEndpointInvocations = 10_000;

    // Load (ConcurrencyLoadTests).
    public const int ConcurrentInvocations = 1_000;

    // Security (SecretExportTests).
    public const int SecretsPerTrigger = 9;
}
