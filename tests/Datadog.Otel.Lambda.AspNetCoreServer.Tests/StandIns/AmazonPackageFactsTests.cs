// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Reflection;
using System.Runtime.Versioning;
using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.AspNetCoreServer;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.Core;
using Datadog.Otel.Lambda.AspNetCoreServer.Tests.TestSupport;

namespace Datadog.Otel.Lambda.AspNetCoreServer.Tests.StandIns;

/// <summary>
/// The facts of the real Amazon.Lambda packages that once broke the content files, checked on their stand-ins
/// (tests/AmazonLambdaStandIns), so that a stand-in cannot drift from them unseen.
/// </summary>
public class AmazonPackageFactsTests
{
    [Theory]
    [InlineData(FunctionSerializers.Default, "\"HttpMethod\":\"GET\"", "\"RequestContext\":{\"Stage\":\"prod\"")]
    [InlineData(FunctionSerializers.SourceGenerated, "\"HttpMethod\":\"GET\"", "\"RequestContext\":{\"Stage\":\"prod\"")]
    [InlineData(FunctionSerializers.CamelCase, "\"httpMethod\":\"GET\"", "\"requestContext\":{\"stage\":\"prod\"")]
    public void RequestTypesAreWrittenInTheSerializersCasingAndResponsesInLambdas(string serializer, string method, string context)
    {
        var lambda = FunctionSerializers.Create(serializer);

        var request = Write(lambda, new APIGatewayProxyRequest { HttpMethod = "GET", RequestContext = new() { Stage = "prod" } });
        var response = Write(lambda, new APIGatewayProxyResponse { StatusCode = 201 });

        Assert.Contains(method, request, StringComparison.Ordinal);
        Assert.Contains(context, request, StringComparison.Ordinal);
        Assert.Contains("\"statusCode\":201", response, StringComparison.Ordinal);

        // Reading is case-insensitive with every one of them.
        var read = lambda.Deserialize<APIGatewayProxyRequest>(new MemoryStream("{\"httpMethod\":\"PUT\",\"requestContext\":{\"stage\":\"dev\"}}"u8.ToArray()));
        Assert.Equal("PUT", read.HttpMethod);
        Assert.Equal("dev", read.RequestContext.Stage);
    }

    [Fact]
    public void ResponseStreamingIsAPreviewFeature()
    {
        Assert.NotNull(typeof(HostingOptions).GetProperty("EnableResponseStreaming")!.GetCustomAttribute<RequiresPreviewFeaturesAttribute>());
        Assert.NotNull(typeof(AbstractAspNetCoreFunction<APIGatewayProxyRequest, APIGatewayProxyResponse>).GetProperty("EnableResponseStreaming")!.GetCustomAttribute<RequiresPreviewFeaturesAttribute>());
    }

    [Fact]
    public void TheFunctionHandlerDeclaresTheSerializerTheRuntimeUses()
    {
        var handler = typeof(AbstractAspNetCoreFunction<APIGatewayProxyRequest, APIGatewayProxyResponse>).GetMethod("FunctionHandlerAsync")!;

        Assert.Equal("DefaultLambdaJsonSerializer", handler.GetCustomAttribute<LambdaSerializerAttribute>()!.SerializerType.Name);
    }

    [Fact]
    public void PackagesDependOnWhatTheRealOnesDependOn()
    {
        static string[] References(Type type) => type.Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

        // A class-based function has AspNetCoreServer without RuntimeSupport and Hosting.
        Assert.DoesNotContain("Amazon.Lambda.RuntimeSupport", References(typeof(APIGatewayProxyFunction)));
        Assert.DoesNotContain("Amazon.Lambda.AspNetCoreServer.Hosting", References(typeof(APIGatewayProxyFunction)));
        Assert.Contains("Amazon.Lambda.RuntimeSupport", References(typeof(HostingOptions)));

        // RuntimeSupport brings SnapshotRestore.Registry, whose root namespace is SnapshotRestore.
        var runtimeSupport = Assembly.Load("Amazon.Lambda.RuntimeSupport");
        Assert.Contains(runtimeSupport.GetReferencedAssemblies(), a => a.Name == "SnapshotRestore.Registry");
        Assert.Contains(Assembly.Load("SnapshotRestore.Registry").GetExportedTypes(), t => t.Namespace == "SnapshotRestore.Registry");
    }

    private static string Write<T>(ILambdaSerializer serializer, T value)
    {
        using var stream = new MemoryStream();
        serializer.Serialize(value, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
