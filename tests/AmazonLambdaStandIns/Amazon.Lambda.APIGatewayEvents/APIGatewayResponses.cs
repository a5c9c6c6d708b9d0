// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.APIGatewayEvents/{APIGatewayProxyResponse,
// APIGatewayHttpApiV2ProxyResponse}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0): every member named in
// Lambda's camelCase, for System.Text.Json and for DataContract serializers.
using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.APIGatewayEvents;

[DataContract]
public class APIGatewayProxyResponse
{
    [DataMember(Name = "statusCode")]
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

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

[DataContract]
public class APIGatewayHttpApiV2ProxyResponse
{
    [DataMember(Name = "statusCode")]
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    [DataMember(Name = "headers")]
    [JsonPropertyName("headers")]
    public IDictionary<string, string> Headers { get; set; }

    [DataMember(Name = "cookies")]
    [JsonPropertyName("cookies")]
    public string[] Cookies { get; set; }

    [DataMember(Name = "body")]
    [JsonPropertyName("body")]
    public string Body { get; set; }

    [DataMember(Name = "isBase64Encoded")]
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    public void SetHeaderValues(string headerName, string value, bool append) => this.SetHeaderValues(headerName, [value], append);

    public void SetHeaderValues(string headerName, IEnumerable<string> values, bool append)
    {
        this.Headers ??= new Dictionary<string, string>();
        this.Headers[headerName] = this.Headers.TryGetValue(headerName, out var existing) && append
            ? existing + "," + string.Join(",", values)
            : string.Join(",", values);
    }
}
