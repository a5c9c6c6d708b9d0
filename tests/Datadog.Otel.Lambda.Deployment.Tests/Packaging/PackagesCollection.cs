// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>The packaging tests share one run of build/pack.sh.</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packages";
}
