// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-ins for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.SQSEvents/SQSEvent.cs and
// Libraries/src/Amazon.Lambda.SNSEvents/SNSEvent.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (the packages are not in
// this repository's registry): the same members and types, none with a JSON name of its own, so that Lambda's serializer
// does the same work deserializing them. Only the benchmarks use them (the typed events of a bare handler and of the
// contrib-equivalent).
#nullable disable
#pragma warning disable CA1002, CA1034, CA1056, CA2227, CA1819

namespace Amazon.Lambda.SQSEvents
{
    public class SQSEvent
    {
        public List<SQSMessage> Records { get; set; }

        public class MessageAttribute
        {
            public string StringValue { get; set; }

            public MemoryStream BinaryValue { get; set; }

            public List<string> StringListValues { get; set; }

            public List<MemoryStream> BinaryListValues { get; set; }

            public string DataType { get; set; }
        }

        public class SQSMessage
        {
            public string MessageId { get; set; }

            public string ReceiptHandle { get; set; }

            public string Body { get; set; }

            public string Md5OfBody { get; set; }

            public string Md5OfMessageAttributes { get; set; }

            public string EventSourceArn { get; set; }

            public string EventSource { get; set; }

            public string AwsRegion { get; set; }

            public Dictionary<string, string> Attributes { get; set; }

            public Dictionary<string, MessageAttribute> MessageAttributes { get; set; }
        }
    }
}

namespace Amazon.Lambda.SNSEvents
{
    public class SNSEvent
    {
        public IList<SNSRecord> Records { get; set; }

        public class SNSRecord
        {
            public string EventSource { get; set; }

            public string EventSubscriptionArn { get; set; }

            public string EventVersion { get; set; }

            public SNSMessage Sns { get; set; }
        }

        public class SNSMessage
        {
            public string Message { get; set; }

            public IDictionary<string, MessageAttribute> MessageAttributes { get; set; }

            public string MessageId { get; set; }

            public string Signature { get; set; }

            public string SignatureVersion { get; set; }

            public string SigningCertUrl { get; set; }

            public string Subject { get; set; }

            public DateTime Timestamp { get; set; }

            public string TopicArn { get; set; }

            public string Type { get; set; }

            public string UnsubscribeUrl { get; set; }
        }

        public class MessageAttribute
        {
            public string Type { get; set; }

            public string Value { get; set; }
        }
    }
}
