// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0


namespace Datadog.Otel.Lambda.Triggers;

/// <summary>ARNs and route helpers shared by the API Gateway and Function URL triggers.</summary>
internal static class ApiGatewayArns
{
    /// <summary>
    /// Datadog's <c>function_trigger.event_source_arn</c> for every API Gateway flavour (HTTP APIs included):
    /// <c>arn:{partition}:apigateway:{region}::/restapis/{apiId}/stages/{stage}</c>, with the region and partition of the function.
    /// </summary>
    public static string? Stage(FunctionInfo function, string? apiId, string? stage)
    {
        if (apiId is null || stage is null || function.Region is null)
        {
            return null;
        }

        return "arn:" + Partition(function.Region) + ":apigateway:" + function.Region + "::/restapis/" + apiId + "/stages/" + stage;
    }

    /// <summary>
    /// Datadog's <c>dd_resource_key</c> on API Gateway inferred spans: the API's own ARN, without the stage,
    /// <c>arn:aws:apigateway:{region}::/restapis/{apiId}</c> (REST, WebSocket) or <c>…::/apis/{apiId}</c> (HTTP APIs). The
    /// partition is always <c>aws</c> and the region is the function's, as datadog-lambda-js writes it.
    /// </summary>
    public static string? ResourceKey(FunctionInfo function, string? apiId, bool httpApi)
    {
        if (string.IsNullOrEmpty(apiId) || function.Region is null)
        {
            return null;
        }

        return "arn:aws:apigateway:" + function.Region + (httpApi ? "::/apis/" : "::/restapis/") + apiId;
    }

    /// <summary>The partition a region belongs to (China and GovCloud have their own).</summary>
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    /// <summary>The last space-separated token: the path of an HTTP API route key (<c>GET /orders/{id}</c>).</summary>
    public static string? LastToken(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var space = value.LastIndexOf(' ');
        return space < 0 ? value : value[(space + 1)..];
    }
}
