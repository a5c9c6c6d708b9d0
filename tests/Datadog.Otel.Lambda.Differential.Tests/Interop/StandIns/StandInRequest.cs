// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;

/// <summary>
/// A request of a service whose AWSSDK package is missing here, marshalled as aws-sdk-net's generated marshaller for it
/// marshals it. The class name is the SDK's (<c>PublishRequest</c>, <c>PutEventsRequest</c> …): the SDK names the
/// operation after it (<see cref="IRequest.RequestName"/>), and so does this library's instrumentation.
/// </summary>
internal abstract class StandInRequest : AmazonWebServiceRequest
{
    /// <summary>Gets the service name the generated marshallers give <see cref="DefaultRequest"/> (<c>Amazon.Kinesis</c>).</summary>
    public abstract string ServiceName { get; }

    public abstract void Marshall(IRequest request);
}

/// <summary>
/// The AWS query protocol (SNS): <c>Action</c> and <c>Version</c>, then the members as flattened parameters, which the
/// SDK sends form-encoded in the body.
/// </summary>
internal abstract class QueryRequest : StandInRequest
{
    protected abstract string Action { get; }

    protected abstract string Version { get; }

    public sealed override void Marshall(IRequest request)
    {
        request.Parameters.Add("Action", this.Action);
        request.Parameters.Add("Version", this.Version);
        this.AddParameters(request.Parameters);
    }

    protected abstract void AddParameters(IDictionary<string, string> parameters);
}

/// <summary>
/// The AWS JSON 1.1 protocol (EventBridge, Kinesis): <c>POST /</c> with <c>X-Amz-Target: {prefix}.{Operation}</c>, the
/// content type and API version headers, and the members as a JSON object written to the SDK's pooled content stream
/// (where AWSSDK.Core 4 marshallers put JSON bodies).
/// </summary>
internal abstract class JsonRequest : StandInRequest
{
    protected abstract string Target { get; }

    protected abstract string ApiVersion { get; }

    public sealed override void Marshall(IRequest request)
    {
        request.Headers["X-Amz-Target"] = this.Target;
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["x-amz-api-version"] = this.ApiVersion;
        request.HttpMethod = "POST";
        request.ResourcePath = "/";
        var content = new PooledContentStream();
        using (var writer = new Utf8JsonWriter(content.BufferWriter))
        {
            writer.WriteStartObject();
            this.WriteMembers(writer);
            writer.WriteEndObject();
        }

        request.ContentStream = content;
    }

    protected abstract void WriteMembers(Utf8JsonWriter writer);
}
