// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer.Hosting/HostingOptions.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (2.1.0).
using System.Runtime.Versioning;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Amazon.Lambda.AspNetCoreServer.Hosting;

public class HostingOptions
{
    internal const string ParameterizedPreviewMessage =
        "Response streaming is in preview till a new version of .NET Lambda runtime client that supports response streaming " +
        "has been deployed to the .NET Lambda managed runtime.";

    public ILambdaSerializer? Serializer { get; set; }

    public ResponseContentEncoding DefaultResponseContentEncoding { get; set; } = ResponseContentEncoding.Default;

    public bool IncludeUnhandledExceptionDetailInResponse { get; set; }

    [RequiresPreviewFeatures(ParameterizedPreviewMessage)]
    public bool EnableResponseStreaming { get; set; }

    public Action<IHttpRequestFeature, object, ILambdaContext>? PostMarshallRequestFeature { get; set; }

    public Action<IHttpResponseFeature, object, ILambdaContext>? PostMarshallResponseFeature { get; set; }

    public Action<IHttpConnectionFeature, object, ILambdaContext>? PostMarshallConnectionFeature { get; set; }

    public Action<IHttpAuthenticationFeature, object, ILambdaContext>? PostMarshallHttpAuthenticationFeature { get; set; }

    public Action<ITlsConnectionFeature, object, ILambdaContext>? PostMarshallTlsConnectionFeature { get; set; }

    public Action<IItemsFeature, object, ILambdaContext>? PostMarshallItemsFeature { get; set; }

    public void RegisterResponseContentEncodingForContentType(string contentType, ResponseContentEncoding encoding)
    {
    }

    public void RegisterResponseContentEncodingForContentEncoding(string contentEncoding, ResponseContentEncoding encoding)
    {
    }
}
