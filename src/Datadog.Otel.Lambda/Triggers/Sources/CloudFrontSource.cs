// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>CloudFront (Lambda@Edge), recognised by <c>Records[0].cf</c>: the distribution's ARN, no inferred span.</summary>
internal sealed class CloudFrontSource : TriggerSource
{
    private int cf;
    private int distributionId;

    public CloudFrontSource()
        : base(TriggerKind.CloudFront)
    {
    }

    public override string EventSource => "cloudfront";

    public override void Declare(TriggerSchema schema)
    {
        this.cf = schema.RecordField("cf");
        this.distributionId = schema.RecordField("cf", "config", "distributionId");
    }

    public override bool Matches(TriggerContext context) => context.Registry.RecordIs(context, this, this.cf, anyShapeKind: true);

    public override void Describe(TriggerContext context)
    {
        var function = context.Function;
        if (context.FirstRecord.String(this.distributionId) is { } distribution && function.AccountId is not null)
        {
            context.EventSourceArn = "arn:" + ApiGatewayArns.Partition(function.Region ?? string.Empty) + ":cloudfront::" + function.AccountId + ":distribution/" + distribution;
        }
    }
}
