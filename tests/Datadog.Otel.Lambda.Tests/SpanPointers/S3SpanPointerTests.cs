// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Security.Cryptography;
using System.Text;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.Tests.SpanPointers;

/// <summary>The S3 vectors of spec section 7.</summary>
public class S3SpanPointerTests
{
    [Theory]
    [InlineData("some-bucket", "some-key.data", "ab12ef34", "e721375466d4116ab551213fdea08413")]
    [InlineData("some-bucket", "some-key.data", "\"ab12ef34\"", "e721375466d4116ab551213fdea08413")] // the SDK's quoted ETag
    [InlineData("some-bucket", "some-key.你好", "ab12ef34", "d1333a04b9928ab462b5c6cadfa401f4")]
    [InlineData("some-bucket", "some-key.data", "ab12ef34-5", "2b90dffc37ebc7bc610152c3dc72af9f")] // multipart
    public void Vectors(string bucket, string key, string eTag, string expected)
    {
        Assert.True(S3SpanPointer.TryComputeHash(bucket, key, eTag, out var hash));
        Assert.Equal(expected, hash);
    }

    [Fact]
    public void PutObjectVectorFromDdTraceJs()
    {
        var eTag = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("test body"))).ToLowerInvariant();
        Assert.Equal("bbf9afe7431caf5f89a608bc31e8d822", eTag);
        Assert.True(S3SpanPointer.TryComputeHash("s3-bucket-name-test", "test-key", $"\"{eTag}\"", out var hash));
        Assert.Equal("6d1a2fe194c6579187408f827f942be3", hash);
    }

    [Theory]
    [InlineData("ab\"12")] // a quote inside
    [InlineData("\"ab12")] // one quote only: not a surrounding pair
    [InlineData("\"\"")] // nothing left
    [InlineData("\"\"\"")]
    [InlineData("")]
    [InlineData(null)]
    public void EtagsThatCannotMatchAreRefused(string? eTag)
    {
        Assert.False(S3SpanPointer.TryComputeHash("b", "k", eTag, out var hash));
        Assert.Null(hash);
    }

    [Theory]
    [InlineData(null, "k")]
    [InlineData("", "k")]
    [InlineData("b", null)]
    [InlineData("b", "")]
    public void MissingPartsAreRefused(string? bucket, string? key)
    {
        Assert.False(S3SpanPointer.TryComputeHash(bucket, key, "e", out _));
    }

    [Fact]
    public void HugeKeysAreRefusedNotHashed()
    {
        Assert.False(S3SpanPointer.TryComputeHash("b", new string('k', 1_000_000), "e", out _));
    }
}
