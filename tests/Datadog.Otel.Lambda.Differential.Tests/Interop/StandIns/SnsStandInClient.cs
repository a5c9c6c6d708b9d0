// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns.Sns;

/// <summary>
/// SNS over the AWS query protocol, as AWSSDK.SimpleNotificationService 4 sends it (service id <c>SNS</c>, signing name
/// <c>sns</c>, API version 2010-03-31): the requests below are marshalled as its generated
/// <c>PublishRequestMarshaller</c>, <c>CreateTopicRequestMarshaller</c> and <c>SubscribeRequestMarshaller</c> do.
/// </summary>
internal sealed class SnsStandInClient(Uri serviceUrl)
    : StandInServiceClient(new StandInClientConfig("SNS", "sns", "2010-03-31", serviceUrl), StandInUnmarshaller.Instance)
{
    private static readonly StandInMetadata Metadata = new("SNS");

    protected override IServiceMetadata ServiceMetadata => Metadata;
}

/// <summary>The SNS requests' common parts: the service name and API version of the generated marshallers.</summary>
internal abstract class SnsRequest : QueryRequest
{
    public override string ServiceName => "Amazon.SimpleNotificationService";

    protected override string Version => "2010-03-31";
}

internal sealed class CreateTopicRequest : SnsRequest
{
    public required string Name { get; init; }

    protected override string Action => "CreateTopic";

    protected override void AddParameters(IDictionary<string, string> parameters) => parameters.Add("Name", this.Name);
}

/// <summary>A subscription (here: an SQS queue by its ARN; delivery as the SNS envelope, as by default).</summary>
internal sealed class SubscribeRequest : SnsRequest
{
    public required string TopicArn { get; init; }

    public required string Protocol { get; init; }

    public required string Endpoint { get; init; }

    protected override string Action => "Subscribe";

    protected override void AddParameters(IDictionary<string, string> parameters)
    {
        parameters.Add("Endpoint", this.Endpoint);
        parameters.Add("Protocol", this.Protocol);
        parameters.Add("TopicArn", this.TopicArn);
    }
}

/// <summary>
/// Publish: <c>MessageAttributes.entry.{n}.Name</c> and <c>.Value.BinaryValue</c> (base64) / <c>.Value.DataType</c> /
/// <c>.Value.StringValue</c> for each attribute, numbered from 1 in the dictionary's order, as the generated marshaller
/// writes them.
/// </summary>
internal sealed class PublishRequest : SnsRequest
{
    public required string TopicArn { get; init; }

    public required string Message { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyDictionary<string, (string DataType, string? StringValue, byte[]? BinaryValue)> MessageAttributes { get; init; } =
        new Dictionary<string, (string, string?, byte[]?)>();

    protected override string Action => "Publish";

    protected override void AddParameters(IDictionary<string, string> parameters)
    {
        parameters.Add("Message", this.Message);
        var index = 1;
        foreach (var (name, value) in this.MessageAttributes)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"MessageAttributes.entry.{index}.");
            parameters.Add(prefix + "Name", name);
            if (value.BinaryValue is { } binary)
            {
                parameters.Add(prefix + "Value.BinaryValue", Convert.ToBase64String(binary));
            }

            parameters.Add(prefix + "Value.DataType", value.DataType);
            if (value.StringValue is { } text)
            {
                parameters.Add(prefix + "Value.StringValue", text);
            }

            index++;
        }

        if (this.Subject is { } subject)
        {
            parameters.Add("Subject", subject);
        }

        parameters.Add("TopicArn", this.TopicArn);
    }
}
