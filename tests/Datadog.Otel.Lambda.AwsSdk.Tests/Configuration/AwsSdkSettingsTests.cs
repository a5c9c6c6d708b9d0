// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.AwsSdk.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Configuration;

/// <summary>The AWS SDK settings from Datadog's environment variables, service naming, and bad values.</summary>
public class AwsSdkSettingsTests
{
    [Fact]
    public void DefaultsFollowDatadogsTracers()
    {
        var settings = Settings(new());

        Assert.True(settings.InjectContext);
        Assert.True(settings.AddSpanPointers);
        Assert.False(settings.LegacyLambdaContext);
        Assert.Equal(0, settings.PrimaryKeys.Count);
        Assert.False(settings.PayloadTagging.Enabled);
    }

    [Fact]
    public void SwitchesAndThePythonNameOfThePrimaryKeys()
    {
        var settings = Settings(new()
        {
            ["DD_BOTOCORE_DISTRIBUTED_TRACING"] = "false",
            ["DD_TRACE_AWS_ADD_SPAN_POINTERS"] = "false",
            ["DD_BOTOCORE_INVOKE_WITH_LEGACY_CONTEXT"] = "true",
            ["DD_BOTOCORE_DYNAMODB_TABLE_PRIMARY_KEYS"] = "{\"Orders\":[\"pk\",\"sk\"]}",
        });

        Assert.False(settings.InjectContext);
        Assert.False(settings.AddSpanPointers);
        Assert.True(settings.LegacyLambdaContext);
        Assert.True(settings.PrimaryKeys.TryGet("Orders", out var names));
        Assert.Equal(["pk", "sk"], names);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"pk\"]")]
    [InlineData("{\"A\":[\"a\",\"b\",\"c\"],\"B\":[\"x\",\"x\"],\"C\":[],\"D\":\"pk\",\"E\":[1]}")]
    public void BadPrimaryKeyValuesAreIgnored(string value)
    {
        Assert.Equal(0, DynamoDbPrimaryKeys.Parse("DD_TRACE_DYNAMODB_TABLE_PRIMARY_KEYS", value).Count);
    }

    [Theory]
    [InlineData("SQS", "sqs", "aws.sqs.request")]
    [InlineData("SFN", "stepfunctions", "aws.stepfunctions.request")]
    [InlineData("DynamoDB", "dynamodb", "aws.dynamodb.request")]
    [InlineData("Secrets Manager", "secretsmanager", "aws.secretsmanager.request")]
    [InlineData(null, "aws", "aws.aws.request")]
    public void ServiceNamesAreDatadogs(string? serviceId, string shortName, string operationName)
    {
        var info = AwsServiceInfo.For(serviceId);

        Assert.Equal(shortName, info.ShortName);
        Assert.Equal(operationName, info.OperationName);
    }

    [Fact]
    public void ClientServiceIsTheFunctionsWithTheIntegrationUnlessMappedOrRemoved()
    {
        var sqs = AwsServiceInfo.For("SQS");

        Assert.Equal("checkout-aws-sqs", ClientServiceName.Resolve(sqs, Settings(new() { ["DD_SERVICE"] = "checkout" })));
        Assert.Equal("queues", ClientServiceName.Resolve(sqs, Settings(new() { ["DD_SERVICE"] = "checkout", ["DD_SERVICE_MAPPING"] = "aws-sqs:queues" })));
        Assert.Null(ClientServiceName.Resolve(sqs, Settings(new() { ["DD_SERVICE"] = "checkout", ["DD_TRACE_REMOVE_INTEGRATION_SERVICE_NAMES_ENABLED"] = "true" })));
    }

    private static AwsSdkSettings Settings(Dictionary<string, string?> environment) =>
        AwsSdkSettings.FromEnvironment(EnvironmentSource.FromDictionary(environment));
}
