// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Serialization.Metadata;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Tests.TestSupport;

namespace Datadog.Otel.Lambda.Tests.Invocation;

public class ResolverTypeInfoTests
{
    [Fact]
    public void TheMetadataOfAResponseTypeIsMadeOncePerResolver()
    {
        // Writable options build new metadata at every lookup: that was 45 KB per API Gateway invocation.
        var first = ResolverTypeInfo.Get(TestJsonContext.Default, typeof(EnumStatusResponse));
        Assert.NotNull(first);
        Assert.Same(first, ResolverTypeInfo.Get(TestJsonContext.Default, typeof(EnumStatusResponse)));
    }

    [Fact]
    public void ATypeTheResolverDoesNotDeclareHasNoMetadata() =>
        Assert.Null(ResolverTypeInfo.Get(JsonTypeInfoResolver.Combine(), typeof(EnumStatusResponse)));
}
