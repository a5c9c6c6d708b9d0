// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.AwsSdk.SpanPointers;
using Datadog.Otel.Lambda.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.SpanPointers;

/// <summary>
/// ETags from S3's XML response bodies. CopyObject runs end to end against fauxqs; CompleteMultipartUpload's body is
/// written here in the shape of S3's documented response, and its hash checked against the spec's multipart vector.
/// </summary>
public class S3ETagTests
{
    [Fact]
    public void CompleteMultipartUploadEtagGivesTheSpecsHash()
    {
        var xml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Location>https://some-bucket.s3.amazonaws.com/some-key.data</Location><Bucket>some-bucket</Bucket><Key>some-key.data</Key><ETag>&quot;ab12ef34-5&quot;</ETag></CompleteMultipartUploadResult>");

        var eTag = S3ETag.FromXml(xml);

        Assert.Equal("\"ab12ef34-5\"", eTag);
        Assert.True(S3SpanPointer.TryComputeHash("some-bucket", "some-key.data", eTag, out var hash));
        Assert.Equal("2b90dffc37ebc7bc610152c3dc72af9f", hash);
    }

    [Theory]
    [InlineData("<CopyObjectResult><LastModified>x</LastModified></CopyObjectResult>")]
    [InlineData("<CopyObjectResult><ETag></ETag></CopyObjectResult>")]
    [InlineData("<CopyObjectResult><ETag>\"abc\"")]
    public void MissingOrBrokenEtagsGiveNone(string xml)
    {
        Assert.Null(S3ETag.FromXml(Encoding.UTF8.GetBytes(xml)));
    }
}
