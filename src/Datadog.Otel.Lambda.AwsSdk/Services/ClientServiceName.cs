// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Concurrent;

namespace Datadog.Otel.Lambda.AwsSdk.Services;

/// <summary>
/// The Datadog service of an AWS client span, as dd-trace-dotnet and dd-trace-js name it by default:
/// <c>{service}-aws-{name}</c> (for example <c>checkout-aws-sqs</c>); DD_SERVICE_MAPPING can rename it
/// (<c>aws-sqs:queues</c>), and DD_TRACE_REMOVE_INTEGRATION_SERVICE_NAMES_ENABLED keeps the function's service.
/// Inside an invocation the function's own resolved service is used (<see cref="DatadogLambdaInvocation.ServiceName"/>),
/// so the code option <c>DatadogLambdaOptions.ServiceName</c> counts too.
/// </summary>
internal static class ClientServiceName
{
    private static readonly ConcurrentDictionary<(string Service, string Integration), string> Names = new();

    /// <summary>The service, or null to leave the span with the resource's service.</summary>
    public static string? Resolve(AwsServiceInfo info, AwsSdkSettings settings)
    {
        var mapping = settings.ServiceMapping;
        if (mapping.Count > 0 && mapping.TryGetValue(info.IntegrationName, out var mapped))
        {
            return mapped;
        }

        if (settings.RemoveIntegrationServiceNames)
        {
            return null;
        }

        var service = DatadogLambdaInvocation.ServiceName ?? settings.ServiceName;
        var key = (service, info.IntegrationName);
        return Names.TryGetValue(key, out var name) ? name : Names.GetOrAdd(key, static k => $"{k.Service}-{k.Integration}");
    }
}
