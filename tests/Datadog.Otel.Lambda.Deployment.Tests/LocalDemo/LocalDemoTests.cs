// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

#if NET10_0_OR_GREATER
using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.LocalDemo;

/// <summary>
/// The README's main command tells its story: run exactly as a newcomer runs it, the demo connects each order from the
/// API request through SQS to the fulfillment function in one trace, logs the fulfillment with that trace's id, and
/// writes the HTML trace view. (The demo checks the connected traces itself and exits 1 when they are not.) On the
/// .NET 10 leg only: the demo is one program, whatever runtime the tests run on.
/// </summary>
public sealed class LocalDemoTests
{
    [Fact]
    public async Task DemoTracesEachOrderFromTheApiRequestToFulfillment()
    {
        var html = RepositoryPaths.Combine("artifacts", "local-demo-traces.html");
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--no-build", "--project", "examples/LocalDemo", "-f", "net10.0"],
            TimeSpan.FromMinutes(4),
            RepositoryPaths.Root);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("2 orders traced from the API request to fulfillment in one trace", stdout);

        // The fulfillment's log line carries the id of the trace the demo printed for that order.
        var log = Regex.Match(stdout, @"req-cold-fulfillment\tinfo\t\[dd\.trace_id=(\d+) dd\.span_id=\d+\] Fulfillment: Fulfilling order for book");
        Assert.True(log.Success, stdout);
        Assert.Contains("trace " + log.Groups[1].Value + " ", stdout);
        Assert.Contains("aws.lambda.cold_start", stdout);
        Assert.Contains("SQS.SendMessage", stdout);
        Assert.True(File.Exists(html), "no " + html);
    }
}
#endif
