// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;

/// <summary>A service's answer as it came (XML for the query protocol, JSON otherwise), for the test to read what it needs.</summary>
internal sealed class StandInResponse : AmazonWebServiceResponse
{
    public string Body { get; init; } = string.Empty;
}

/// <summary>
/// Reads the whole response body into a <see cref="StandInResponse"/> (a service error into an
/// <see cref="AmazonServiceException"/> with the body as its message): the stand-ins need the body, not a typed model.
/// </summary>
internal sealed class StandInUnmarshaller : XmlResponseUnmarshaller
{
    public static readonly StandInUnmarshaller Instance = new();

    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context) => new StandInResponse { Body = ReadBody(context) };

    public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode) =>
        new($"{(int)statusCode}: {ReadBody(context)}", innerException, statusCode);

    private static string ReadBody(XmlUnmarshallerContext context)
    {
        using var reader = new StreamReader(context.Stream);
        return reader.ReadToEnd();
    }
}
