// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.APIGatewayEvents/APIGatewayCustomAuthorizerContext.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0): a Dictionary<string, object> (System.Text.Json reads its values as
// JsonElement) with obsolete typed accessors over a few keys, and the claims map.
using System.Runtime.Serialization;
using System.Text.Json;

namespace Amazon.Lambda.APIGatewayEvents;

[DataContract]
public class APIGatewayCustomAuthorizerContext : Dictionary<string, object>
{
    private Dictionary<string, string> claims;

    [Obsolete("This property is obsolete. Code should be updated to use the string index property like authorizer[\"principalId\"]")]
    public string PrincipalId
    {
        get => this.TryGetValue("principalId", out var value) ? value.ToString() : null;
        set => this["principalId"] = value;
    }

    [Obsolete("This property is obsolete. Code should be updated to use the string index property like authorizer[\"stringKey\"]")]
    public string StringKey
    {
        get => this.TryGetValue("stringKey", out var value) ? value.ToString() : null;
        set => this["stringKey"] = value;
    }

    public Dictionary<string, string> Claims
    {
        get
        {
            if (this.claims is null)
            {
                this.claims = [];
                if (this.TryGetValue("claims", out var value) && value is JsonElement json && json.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in json.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.String)
                        {
                            this.claims[property.Name] = property.Value.GetString();
                        }
                    }
                }
            }

            return this.claims;
        }

        set => this.claims = value;
    }
}
