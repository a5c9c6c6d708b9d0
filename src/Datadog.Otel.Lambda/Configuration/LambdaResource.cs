// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Internal;
using OpenTelemetry.Resources;

namespace Datadog.Otel.Lambda;

/// <summary>The function's resource: service, env, version, DD_TAGS and what the Lambda environment says about the function.</summary>
internal static class LambdaResource
{
    public static void Configure(ResourceBuilder resource, LambdaSettings settings)
    {
        var attributes = new List<KeyValuePair<string, object>>
        {
            new(TagNames.ServiceName, settings.ServiceName),
            new(TagNames.CloudProvider, "aws"),
            new(TagNames.CloudPlatform, "aws_lambda"),
        };
        if (settings.Environment is { } environment)
        {
            attributes.Add(new(TagNames.DeploymentEnvironmentName, environment));
        }

        if (settings.Version is { } version)
        {
            attributes.Add(new(TagNames.ServiceVersion, version));
        }

        if (settings.Region is { } region)
        {
            attributes.Add(new(TagNames.CloudRegion, region));
        }

        if (settings.FunctionName is { } functionName)
        {
            attributes.Add(new(TagNames.FaasName, functionName));
        }

        if (settings.FunctionVersion is { } functionVersion)
        {
            attributes.Add(new(TagNames.FaasVersion, functionVersion));
        }

        if (settings.LogStreamName is { } logStream)
        {
            attributes.Add(new(TagNames.FaasInstance, logStream));
        }

        if (settings.MemorySizeMB > 0)
        {
            attributes.Add(new(TagNames.FaasMaxMemory, (long)settings.MemorySizeMB * 1024 * 1024));
        }

        if (settings.LogGroupName is { } logGroup)
        {
            attributes.Add(new(TagNames.AwsLogGroupNames, new[] { logGroup }));
        }

        foreach (var tag in settings.Tags)
        {
            attributes.Add(new(tag.Key, tag.Value));
        }

        resource.AddAttributes(attributes);
    }
}
