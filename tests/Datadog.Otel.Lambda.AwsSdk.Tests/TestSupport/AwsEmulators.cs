// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.TestSupport;

/// <summary>The npm AWS emulators (<see cref="NpmAwsEmulators"/>), shared by every test of the "AwsSdk" collection.</summary>
public sealed class AwsEmulators : IAsyncLifetime
{
    private NpmAwsEmulators? emulators;

    public Uri Fauxqs => this.emulators!.Fauxqs;

    public Uri Dynalite => this.emulators!.Dynalite;

    public async Task InitializeAsync() => this.emulators = await NpmAwsEmulators.StartAsync();

    public async Task DisposeAsync()
    {
        if (this.emulators is not null)
        {
            await this.emulators.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AwsSdkCollection : ICollectionFixture<AwsEmulators>
{
    /// <summary>One collection for every test that builds a tracer provider: the AWS SDK hooks are process-wide.</summary>
    public const string Name = "AwsSdk";
}
