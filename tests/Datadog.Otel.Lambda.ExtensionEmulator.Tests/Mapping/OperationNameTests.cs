// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using static Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport.OtlpModel;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>One test per row of the extension's v2 operation-name rules (spec §2.3), in order.</summary>
public class OperationNameTests
{
    [Fact]
    public void Rule1_OperationNameAttributeWinsOverEverything()
    {
        var span = Span(kind: OtlpSpanKind.Server, attributes: [Attr("operation.name", "aws.lambda"), Attr("http.request.method", "GET"), Attr("faas.trigger", "http")]);
        Assert.Equal("aws.lambda", MapOne(span, scope: "opentelemetry.instrumentation.aws_lambda").Name);
    }

    [Fact]
    public void Rule1_DatadogNameIsOverwrittenByTheRules()
    {
        var span = Span(kind: OtlpSpanKind.Internal, attributes: [Attr("datadog.name", "my.op")]);
        Assert.Equal("SPAN_KIND_INTERNAL", MapOne(span).Name);
    }

    [Fact]
    public void Rule2_PythonLambdaInstrumentationServerSpanIsAwsLambda()
    {
        var span = Span("handler.handler", OtlpSpanKind.Server, attributes: [Attr("faas.trigger", "http")]);
        Assert.Equal("aws.lambda", MapOne(span, scope: "opentelemetry.instrumentation.aws_lambda").Name);
    }

    [Fact]
    public void Rule2_AppliesNeitherToOtherKindsNorToTheDotnetScope()
    {
        Assert.Equal("SPAN_KIND_INTERNAL", MapOne(Span(kind: OtlpSpanKind.Internal), scope: "opentelemetry.instrumentation.aws_lambda").Name);
        Assert.Equal("other.invoke", MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("faas.trigger", "other")]), scope: "OpenTelemetry.Instrumentation.AWSLambda").Name);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Server, "http.server.request")]
    [InlineData(OtlpSpanKind.Client, "http.client.request")]
    [InlineData(OtlpSpanKind.Internal, "SPAN_KIND_INTERNAL")]
    public void Rule3_HttpRequestMethodOnServerOrClient(OtlpSpanKind kind, string expected)
    {
        Assert.Equal(expected, MapOne(Span(kind: kind, attributes: [Attr("http.request.method", "GET")])).Name);
    }

    [Fact]
    public void Rule3_TheOldHttpMethodAttributeIsNotRead()
    {
        Assert.Equal("client.request", MapOne(Span(kind: OtlpSpanKind.Client, attributes: [Attr("http.method", "GET")])).Name);
    }

    [Fact]
    public void Rule4_DbQuerySummaryIsNormalised()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.query.summary", "SELECT users"), Attr("db.system.name", "postgresql")]);
        Assert.Equal("select_users", MapOne(span).Name);
    }

    [Theory]
    [InlineData("db.collection.name")]
    [InlineData("db.stored_procedure.name")]
    [InlineData("db.namespace")]
    public void Rule5_DbOperationAndTarget(string targetAttribute)
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.operation.name", "SELECT"), Attr(targetAttribute, "Users"), Attr("db.system.name", "postgresql")]);

        // "select users" from the rule, then operation-name normalisation turns the space into '_'.
        Assert.Equal("select_users", MapOne(span).Name);
    }

    [Fact]
    public void Rule5_TargetAloneWithoutOperation()
    {
        Assert.Equal("orders", MapOne(Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.collection.name", "orders")])).Name);
    }

    [Fact]
    public void Rule5_ANumericServerPortNormalisesAwaySoAddressAndPortNeverMatch()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("server.address", "db.local"), Attr("server.port", 5432), Attr("db.system.name", "postgresql")]);
        Assert.Equal("postgresql", MapOne(span).Name);
    }

    [Fact]
    public void Rule6_DbSystemName()
    {
        Assert.Equal("redis", MapOne(Span(kind: OtlpSpanKind.Client, attributes: [Attr("db.system.name", "Redis")])).Name);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Producer, "aws_sqs.send")]
    [InlineData(OtlpSpanKind.Consumer, "aws_sqs.process")]
    [InlineData(OtlpSpanKind.Client, "aws_sqs.send")]
    public void Rule7_MessagingSystemAndOperationType(OtlpSpanKind kind, string expected)
    {
        var operation = expected.Split('.')[1];
        var span = Span(kind: kind, attributes: [Attr("messaging.system", "aws_sqs"), Attr("messaging.operation.type", operation)]);
        Assert.Equal(expected, MapOne(span).Name);
    }

    [Fact]
    public void Rule7_DoesNotApplyToInternalSpans()
    {
        var span = Span(kind: OtlpSpanKind.Internal, attributes: [Attr("messaging.system", "aws_sqs"), Attr("messaging.operation.type", "send")]);
        Assert.Equal("SPAN_KIND_INTERNAL", MapOne(span).Name);
    }

    [Fact]
    public void Rule8_AwsSdkClientSpanUsesTheNormalisedService()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("rpc.system", "aws-api"), Attr("rpc.service", "SQS"), Attr("rpc.method", "SendMessage")]);
        Assert.Equal("aws.sqs.request", MapOne(span).Name);
    }

    [Fact]
    public void Rule8_AwsSdkClientSpanWithoutService()
    {
        Assert.Equal("aws.client.request", MapOne(Span(kind: OtlpSpanKind.Client, attributes: [Attr("rpc.system", "aws-api")])).Name);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Client, "grpc.client.request")]
    [InlineData(OtlpSpanKind.Server, "grpc.server.request")]
    public void Rule9_OtherRpcSystems(OtlpSpanKind kind, string expected)
    {
        Assert.Equal(expected, MapOne(Span(kind: kind, attributes: [Attr("rpc.system", "grpc")])).Name);
    }

    [Fact]
    public void Rule9_AwsApiServerSpanFallsToTheGenericRpcRule()
    {
        Assert.Equal("aws_api.server.request", MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("rpc.system", "aws-api")])).Name);
    }

    [Fact]
    public void Rule10_FaasClientInvocation()
    {
        var span = Span(kind: OtlpSpanKind.Client, attributes: [Attr("faas.invoked_provider", "aws"), Attr("faas.invoked_name", "Other-Function")]);
        // "aws.other-function.invoke", then operation-name normalisation turns '-' into '_'.
        Assert.Equal("aws.other_function.invoke", MapOne(span).Name);
    }

    [Theory]
    [InlineData("http", "http.invoke")]
    [InlineData("pubsub", "pubsub.invoke")]
    [InlineData("other", "other.invoke")]
    public void Rule11_FaasTriggerOnServerSpan(string trigger, string expected)
    {
        Assert.Equal(expected, MapOne(Span(kind: OtlpSpanKind.Server, attributes: [Attr("faas.trigger", trigger)])).Name);
    }

    [Fact]
    public void Rule12_GraphQl()
    {
        Assert.Equal("graphql.server.request", MapOne(Span(kind: OtlpSpanKind.Internal, attributes: [Attr("graphql.operation.type", "query")])).Name);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Server, null, "server.request")]
    [InlineData(OtlpSpanKind.Client, null, "client.request")]
    [InlineData(OtlpSpanKind.Server, "AMQP", "amqp.server.request")]
    [InlineData(OtlpSpanKind.Client, "http", "http.client.request")]
    public void Rule13_GenericServerOrClient(OtlpSpanKind kind, string? protocol, string expected)
    {
        var attributes = protocol is null ? [] : new[] { Attr("network.protocol.name", protocol) };
        Assert.Equal(expected, MapOne(Span(kind: kind, attributes: attributes)).Name);
    }

    [Theory]
    [InlineData(OtlpSpanKind.Internal, "SPAN_KIND_INTERNAL")]
    [InlineData(OtlpSpanKind.Producer, "SPAN_KIND_PRODUCER")]
    [InlineData(OtlpSpanKind.Consumer, "SPAN_KIND_CONSUMER")]
    [InlineData(OtlpSpanKind.Unspecified, "SPAN_KIND_INTERNAL")]
    [InlineData((OtlpSpanKind)42, "SPAN_KIND_INTERNAL")]
    public void Rule14_KindNameFallback(OtlpSpanKind kind, string expected)
    {
        Assert.Equal(expected, MapOne(Span(kind: kind)).Name);
    }
}
