// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// CloudWatch Logs subscriptions, recognised by <c>awslogs</c>: the log group's ARN, read from the start of the gzipped,
/// base64-encoded <c>awslogs.data</c> (<see cref="CloudWatchLogsData"/>).
/// </summary>
internal sealed class CloudWatchLogsSource : TriggerSource
{
    private int awslogs;
    private int data;

    public CloudWatchLogsSource()
        : base(TriggerKind.CloudWatchLogs)
    {
    }

    public override string EventSource => "cloudwatch-logs";

    public override void Declare(TriggerSchema schema)
    {
        this.awslogs = schema.Field("awslogs");
        this.data = schema.Field("awslogs", "data");
    }

    public override bool Matches(TriggerContext context) => context.Root.IsTruthy(this.awslogs);

    public override void Describe(TriggerContext context)
    {
        var function = context.Function;
        if (!context.Root.IsObject(this.awslogs) || context.Root.String(this.data) is not { } encoded || function.Region is null || function.AccountId is null)
        {
            return;
        }

        var logGroup = CloudWatchLogsData.ReadLogGroup(encoded) ?? "cloudwatch";
        context.EventSourceArn = "arn:" + ApiGatewayArns.Partition(function.Region) + ":logs:" + function.Region + ":" + function.AccountId + ":log-group:" + logGroup;
    }
}
