// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>
/// Adds this package's two handlers to the pipeline of every AWS service client created after registration:
/// <see cref="MarshalledRequestHandler"/> right after the marshaller (the request exists as bytes and parameters, but is
/// not yet signed or checksummed), and <see cref="HttpSuppressionHandler"/> right before the HTTP handler.
/// </summary>
internal sealed class DatadogPipelineCustomizer : IRuntimePipelineCustomizer
{
    public string UniqueName => "Datadog.Otel.Lambda.AwsSdk";

    public void Customize(Type type, RuntimePipeline pipeline)
    {
        try
        {
            pipeline.AddHandlerAfter<Marshaller>(new MarshalledRequestHandler());
            pipeline.AddHandlerAfter<Unmarshaller>(new HttpSuppressionHandler());
        }
        catch (Exception exception)
        {
            // A pipeline without one of these handlers (a custom client) still works, just without our additions.
            Diag.TracingFailed("aws-sdk pipeline customization", exception);
        }
    }
}
