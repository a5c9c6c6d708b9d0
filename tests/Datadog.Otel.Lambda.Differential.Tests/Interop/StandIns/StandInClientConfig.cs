// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;

/// <summary>
/// The configuration of a <see cref="StandInServiceClient"/>: the service's id (<c>SNS</c>, <c>EventBridge</c>,
/// <c>Kinesis</c>, as in the service model and the generated configs), its signing name and API version, an emulator's
/// URL on loopback, region us-east-1, the defaults of the generated configs' Standard mode, no retries (a test's call
/// either works or fails at once).
/// </summary>
internal sealed class StandInClientConfig : ClientConfig
{
    private readonly string signingName;
    private readonly string serviceVersion;

    public StandInClientConfig(string serviceId, string signingName, string serviceVersion, Uri serviceUrl)
        : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard, ConnectTimeout = TimeSpan.FromSeconds(3.1) }]))
    {
        this.signingName = signingName;
        this.serviceVersion = serviceVersion;
        this.ServiceId = serviceId;
        this.ServiceURL = serviceUrl.ToString();
        this.AuthenticationRegion = "us-east-1";
        this.MaxErrorRetry = 0;
        this.EndpointProvider = new FixedEndpointProvider(this.ServiceURL);
    }

    public override string RegionEndpointServiceName => this.signingName;

    public override string ServiceVersion => this.serviceVersion;

    public override string UserAgent => $"aws-sdk-dotnet-coreclr/stand-in api/{this.ServiceId}";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(this.ServiceURL);

    private sealed class FixedEndpointProvider(string url) : IEndpointProvider
    {
        public Endpoint ResolveEndpoint(EndpointParameters parameters) => new(url);
    }
}
