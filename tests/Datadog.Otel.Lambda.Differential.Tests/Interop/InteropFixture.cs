// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Differential.Tests.Library;
using Datadog.Otel.Lambda.Differential.Tests.Reference;
using Datadog.Otel.Lambda.ExtensionEmulator;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// What the interop tests share: the npm AWS emulators on loopback (fauxqs for SQS and SNS, kinesalite for Kinesis), the
/// extension emulator this library exports to, the Node.js side (<see cref="NodeReference"/>: datadog-lambda-js for
/// consuming, dd-trace's producer script for producing, each call a process of its own with its own fake agent) and
/// this library's side (<see cref="LibraryUnderTest"/>).
/// </summary>
public sealed class InteropFixture : IAsyncLifetime
{
    private NpmAwsEmulators? aws;
    private ExtensionEmulator.ExtensionEmulator? emulator;
    private string? workFolder;

    internal NpmAwsEmulators Aws => this.aws!;

    internal NodeReference Node { get; private set; } = null!;

    internal LibraryUnderTest Ours { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        this.workFolder = Directory.CreateTempSubdirectory("interop-").FullName;
        this.aws = await NpmAwsEmulators.StartAsync(dynamoDb: false, kinesis: true);
        var extension = new ExtensionEmulatorOptions { Port = 0 };
        this.emulator = await ExtensionEmulator.ExtensionEmulator.StartAsync(extension);
        this.Node = new NodeReference(extension, this.workFolder);
        this.Ours = new LibraryUnderTest(this.emulator);
    }

    public async Task DisposeAsync()
    {
        if (this.emulator is not null)
        {
            await this.emulator.DisposeAsync();
        }

        if (this.aws is not null)
        {
            await this.aws.DisposeAsync();
        }

        if (this.workFolder is not null)
        {
            Directory.Delete(this.workFolder, recursive: true);
        }
    }
}
