// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.ApplicationLoadBalancerEvents/
// {ApplicationLoadBalancerRequest,ApplicationLoadBalancerResponse}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0):
// the request without JSON names of its own, the response named in Lambda's camelCase.
using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.ApplicationLoadBalancerEvents;

public class ApplicationLoadBalancerRequest
{
    public ALBRequestContext RequestContext { get; set; }

    public string Path { get; set; }

    public string HttpMethod { get; set; }

    public IDictionary<string, string> Headers { get; set; }

    public IDictionary<string, IList<string>> MultiValueHeaders { get; set; }

    public IDictionary<string, string> QueryStringParameters { get; set; }

    public IDictionary<string, IList<string>> MultiValueQueryStringParameters { get; set; }

    public string Body { get; set; }

    public bool IsBase64Encoded { get; set; }

    public class ALBRequestContext
    {
        public ElbInfo Elb { get; set; }
    }

    public class ElbInfo
    {
        public string TargetGroupArn { get; set; }
    }
}

[DataContract]
public class ApplicationLoadBalancerResponse
{
    [DataMember(Name = "statusCode")]
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    [DataMember(Name = "statusDescription")]
    [JsonPropertyName("statusDescription")]
    public string StatusDescription { get; set; }

    [DataMember(Name = "headers")]
    [JsonPropertyName("headers")]
    public IDictionary<string, string> Headers { get; set; }

    [DataMember(Name = "multiValueHeaders")]
    [JsonPropertyName("multiValueHeaders")]
    public IDictionary<string, IList<string>> MultiValueHeaders { get; set; }

    [DataMember(Name = "body")]
    [JsonPropertyName("body")]
    public string Body { get; set; }

    [DataMember(Name = "isBase64Encoded")]
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
