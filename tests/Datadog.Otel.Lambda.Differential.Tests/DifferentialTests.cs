// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Xunit.Abstractions;

namespace Datadog.Otel.Lambda.Differential.Tests;

/// <summary>
/// Datadog's own Node.js library as the reference: every corpus event through datadog-lambda-js with dd-trace and
/// through this library, compared in Datadog's terms. A difference the accepted-differences data does not list fails,
/// naming the event, the span and the field; so does a listed difference that no longer occurs.
/// </summary>
[Trait("Category", "Slow")]
[Collection("Tracing")]
public sealed class DifferentialTests : IClassFixture<DifferentialRun>
{
    private readonly DifferentialRun run;
    private readonly ITestOutputHelper output;

    public DifferentialTests(DifferentialRun run, ITestOutputHelper output)
    {
        this.run = run;
        this.output = output;
    }

    [Fact]
    public void EveryEventGivesTheTraceDatadogsLibraryGivesOrAnAcceptedDifference()
    {
        this.output.WriteLine(this.run.Report());
        Assert.Empty(this.run.Failures);
        Assert.Equal(this.run.Cases.Count, this.run.Comparisons.Count);
        var unaccepted = this.run.Comparisons.SelectMany(c => c.Unaccepted).Select(d => d.ToString()).ToList();
        Assert.True(unaccepted.Count == 0, $"{unaccepted.Count} differences from Datadog's Node.js library are not in accepted-differences.json (full report: {this.run.ReportPath}):\n" + string.Join("\n", unaccepted));
    }

    [Fact]
    public void EveryAcceptedDifferenceStillOccurs()
    {
        Assert.Empty(this.run.Failures);
        var stale = this.run.Accepted.Unused().Select(u => $"{u.Row.Id}: {u.Matcher}").ToList();
        Assert.True(stale.Count == 0, "accepted-differences.json lists differences that no case shows any more (remove or narrow them):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void TheReferenceSentOnlyTracesAndEveryPayloadWasReadable()
    {
        Assert.Empty(this.run.AgentRequests);
        Assert.Empty(this.run.UnreadableDatagrams);
    }

    [Fact]
    public void XRayMetadataWasCompared()
    {
        // Both sides send their datadog-metadata subsegments when X-Ray samples the invocation and the event carries a
        // Datadog context: the trace subsegment with the event's ids, then the trigger tags.
        var (node, ours) = this.run.XRayByCase["api-gateway-rest-xray-merge"];
        Assert.Equal(["trace", "lambda_function_tags"], node.Select(d => d.Key));
        Assert.Equal(["trace", "lambda_function_tags"], ours.Select(d => d.Key));

        // Nothing is sent for an invocation X-Ray does not sample.
        var unsampled = this.run.Cases.Where(c => c.XRayTraceHeader?.Contains("Sampled=0", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(unsampled);
        Assert.All(unsampled, c => Assert.Empty(this.run.XRayByCase[c.Id].Ours));
        Assert.All(unsampled, c => Assert.Empty(this.run.XRayByCase[c.Id].Node));
    }

    [Fact]
    public void TheCorpusCoversEveryTriggerAndCarrier()
    {
        string[] triggers =
        [
            "api-gateway-rest", "api-gateway-http", "api-gateway-websocket", "authorizer-token", "authorizer-request", "function-url",
            "alb", "sqs", "sns", "sns-sqs", "eventbridge-sqs", "eventbridge", "kinesis", "dynamodb", "s3", "cloudwatch-logs",
            "cloudwatch-events", "step-functions", "durable", "direct",
        ];
        string[] carriers =
        [
            "datadog-headers", "w3c", "b3", "b3-single", "xray", "none", "authorizer-context", "authorizer-context-cached", "sqs-string",
            "sqs-binary", "sns-string", "sns-binary", "sns-sqs-string", "sns-sqs-binary", "eventbridge-detail", "eventbridge-sqs-detail",
            "kinesis-data", "sqs-awstraceheader", "step-functions-legacy", "step-functions-context", "step-functions-jsonata", "client-context",
            "durable-checkpoint",
        ];
        Assert.Empty(triggers.Except(this.run.Cases.Select(c => c.Trigger)));
        Assert.Empty(carriers.Except(this.run.Cases.Select(c => c.Carrier)));
    }
}
