// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using static Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport.OtlpModel;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>Service, resource, type, env and version precedence (spec §2.2).</summary>
public class ServiceResourceTypeTests
{
    [Fact]
    public void Service_DatadogServiceSpanAttributeWinsOverResourceServiceName()
    {
        var span = Span(attributes: [Attr("datadog.service", "Orders-Queue")]);
        Assert.Equal("orders-queue", MapOne(span, resource: [Attr("service.name", "my-function")]).Service);
    }

    [Fact]
    public void Service_ComesFromTheResourceServiceName()
    {
        Assert.Equal("my-function", MapOne(Span(), resource: [Attr("service.name", "My-Function")]).Service);
    }

    [Fact]
    public void Service_ASpanLevelServiceNameIsIgnored()
    {
        var mapped = MapOne(Span(attributes: [Attr("service.name", "span-level")]), resource: [Attr("service.name", "resource-level")]);

        Assert.Equal("resource-level", mapped.Service);
        Assert.False(mapped.Meta.ContainsKey("service.name"));
    }

    [Fact]
    public void Service_DefaultsWhenTheResourceHasNoServiceName()
    {
        Assert.Equal("otlpresourcenoservicename", MapOne(Span(), resource: []).Service);
    }

    [Fact]
    public void Service_IsNormalisedTheDatadogWay()
    {
        Assert.Equal("my_service_name", MapOne(Span(), resource: [Attr("service.name", "  My Service!! Name ")]).Service);
    }

    [Fact]
    public void Resource_ResourceLevelDatadogResourceWinsAndIsTagNormalised()
    {
        var span = Span(kind: OtlpSpanKind.Server, attributes: [Attr("datadog.resource", "ignored on spans"), Attr("resource.name", "span-resource"), Attr("http.request.method", "GET")]);

        // The extension reads datadog.resource from the resource only, through tag normalisation.
        Assert.Equal("get_/orders", MapOne(span, resource: [Attr("service.name", "s"), Attr("datadog.resource", "GET /orders")]).Resource);
    }

    [Fact]
    public void Resource_ResourceNameFromTheResourceBeforeTheSpan()
    {
        var span = Span(attributes: [Attr("resource.name", "from-span")]);
        Assert.Equal("from-resource", MapOne(span, resource: [Attr("service.name", "s"), Attr("resource.name", "from-resource")]).Resource);
        Assert.Equal("from-span", MapOne(span).Resource);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Server, "GET", "GET /items/{id}")]
    [InlineData(OtlpSpanKind.Client, "GET", "GET")]
    [InlineData(OtlpSpanKind.Server, "_OTHER", "HTTP /items/{id}")]
    public void Resource_HttpMethodWithRouteOnServerSpans(OtlpSpanKind kind, string method, string expected)
    {
        var span = Span(kind: kind, attributes: [Attr("http.request.method", method), Attr("http.route", "/items/{id}")]);
        Assert.Equal(expected, MapOne(span).Resource);
    }

    [Fact]
    public void Resource_Messaging()
    {
        var span = Span(kind: OtlpSpanKind.Producer, attributes: [Attr("messaging.operation.type", "send"), Attr("messaging.destination.name", "orders")]);
        Assert.Equal("send orders", MapOne(span).Resource);
    }

    [Fact]
    public void Resource_Rpc()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("rpc.system", "aws-api"), Attr("rpc.service", "SQS"), Attr("rpc.method", "SendMessage")]);
        Assert.Equal("SQS SendMessage", MapOne(span).Resource);
    }

    [Fact]
    public void Resource_GraphQl()
    {
        var span = Span(attributes: [Attr("graphql.operation.type", "query"), Attr("graphql.operation.name", "GetUser")]);
        Assert.Equal("query GetUser", MapOne(span).Resource);
    }

    [Fact]
    public void Resource_DatabaseQueryTextIsTheRawResource()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.system.name", "postgresql"), Attr("db.query.text", "SELECT * FROM t WHERE id = 42")]);
        Assert.Equal("SELECT * FROM t WHERE id = 42", MapOne(span).Resource);
        Assert.Equal("postgresql", MapOne(Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.system.name", "postgresql")])).Resource);
    }

    [Fact]
    public void Resource_FallsBackToTheSpanName()
    {
        Assert.Equal("My Span Name", MapOne(Span("My Span Name")).Resource);
    }

    [Fact]
    public void Type_DatadogTypeWinsThenSpanTypeThenKind()
    {
        Assert.Equal("serverless", MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("datadog.type", "serverless"), Attr("span.type", "web")])).Type);
        Assert.Equal("serverless", MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("span.type", "Serverless")])).Type);
        Assert.Equal("queue", MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("span.type", "web")]), resource: [Attr("service.name", "s"), Attr("span.type", "queue")]).Type);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Server, null, "web")]
    [InlineData(OtlpSpanKind.Client, null, "http")]
    [InlineData(OtlpSpanKind.Client, "postgresql", "db")]
    [InlineData(OtlpSpanKind.Client, "redis", "cache")]
    [InlineData(OtlpSpanKind.Client, "memcached", "cache")]
    [InlineData(OtlpSpanKind.Internal, null, "custom")]
    [InlineData(OtlpSpanKind.Producer, null, "custom")]
    public void Type_FromKind(OtlpSpanKind kind, string? dbSystem, string expected)
    {
        var attributes = dbSystem is null ? [] : new[] { Attr("db.system.name", dbSystem) };
        Assert.Equal(expected, MapOne(Span(kind: kind, attributes: attributes)).Type);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Server, "server")]
    [InlineData(OtlpSpanKind.Client, "client")]
    [InlineData(OtlpSpanKind.Producer, "producer")]
    [InlineData(OtlpSpanKind.Consumer, "consumer")]
    [InlineData(OtlpSpanKind.Internal, "internal")]
    [InlineData(OtlpSpanKind.Unspecified, "unspecified")]
    public void Meta_SpanTypeHoldsTheKindName_AQuirkOfTheExtension(OtlpSpanKind kind, string expected)
    {
        var mapped = MapOne(Span(kind: kind, attributes: [Attr("span.type", "serverless")]));

        Assert.Equal(expected, mapped.Meta["span.type"]);
        Assert.False(mapped.Meta.ContainsKey("span.kind"));
    }

    [Fact]
    public void Meta_SpanKindOnlyFromDatadogSpanKind()
    {
        Assert.Equal("server", MapOne(Span(attributes: [Attr("datadog.span.kind", "Server")])).Meta["span.kind"]);
    }

    [Fact]
    public void Env_FromDeploymentEnvironmentNameThenDatadogEnv()
    {
        var resource = new[] { Attr("service.name", "s"), Attr("deployment.environment.name", "Staging"), Attr("deployment.environment", "old") };
        var fromResource = MapOne(Span(), resource: resource);
        Assert.Equal("staging", fromResource.Meta["env"]);
        Assert.Equal("old", fromResource.Meta["deployment.environment"]);
        Assert.Equal("prod", MapOne(Span(attributes: [Attr("datadog.env", "prod")]), resource: resource).Meta["env"]);
        Assert.False(MapOne(Span(), resource: [Attr("service.name", "s"), Attr("deployment.environment", "old")]).Meta.ContainsKey("env"));
    }

    [Fact]
    public void Version_ServiceVersionAloneGivesNoVersion_AQuirkOfTheExtension()
    {
        var resource = new[] { Attr("service.name", "s"), Attr("service.version", "1.2.3") };

        Assert.False(MapOne(Span(), resource: resource).Meta.ContainsKey("version"));
        Assert.Equal("1.2.3", MapOne(Span(attributes: [Attr("datadog.version", "0.0.1")]), resource: resource).Meta["version"]);
        Assert.Equal("0.0.1", MapOne(Span(attributes: [Attr("datadog.version", "0.0.1")])).Meta["version"]);
    }
}
