// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Runtime.CompilerServices;
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

    [Fact]
    public void TheOptionsMadeForAResolverDoNotKeepItAlive()
    {
        // A resolver made per provider or per call must not be held by the process-wide cache.
        var resolver = LookUpThroughANewResolver();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(resolver.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LookUpThroughANewResolver()
    {
        var resolver = JsonTypeInfoResolver.Combine(new TestJsonContext());
        Assert.NotNull(ResolverTypeInfo.Get(resolver, typeof(EnumStatusResponse)));
        return new WeakReference(resolver);
    }
}
