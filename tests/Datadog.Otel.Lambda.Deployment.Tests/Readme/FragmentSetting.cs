// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Deployment.Tests.Readme;

/// <summary>
/// Where a <c>csharp fragment</c> block of README.md belongs: the code around it (its usings, the method or class it
/// sits in, the names it takes as given), the project SDK, and what a function with that code references (the
/// Amazon.Lambda stand-ins, every function having Amazon.Lambda.Core, and packages). The setting is chosen by a marker
/// the fragment contains; the fragment replaces <see cref="Placeholder"/>.
/// </summary>
internal sealed record FragmentSetting(string Marker, string Sdk, string[] StandIns, string[] Packages, string Around)
{
    public const string Placeholder = "/*README*/";

    private static readonly FragmentSetting[] All =
    [
        // Own spans: statements in a function that has its ActivitySource.
        new(
            "Source.StartActivity(",
            "Microsoft.NET.Sdk",
            ["Amazon.Lambda.Core"],
            ["Datadog.Otel.Lambda"],
            """
            using System.Diagnostics;

            namespace Readme;

            public static class Fragment
            {
                private static readonly ActivitySource Source = new("MyFunction");

                public static void Run()
                {
            /*README*/
                }
            }
            """),

        // ASP.NET Core minimal API: statements on the WebApplicationBuilder, with Amazon.Lambda.AspNetCoreServer.Hosting.
        new(
            "AddDatadogAWSLambdaHosting(",
            "Microsoft.NET.Sdk.Web",
            ["Amazon.Lambda.AspNetCoreServer.Hosting"],
            ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AspNetCoreServer", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.AspNetCore", "OpenTelemetry.Instrumentation.Http"],
            """
            using Datadog.Otel.Lambda;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using OpenTelemetry;
            using OpenTelemetry.Trace;

            namespace Readme;

            public static class Fragment
            {
                public static void Configure(WebApplicationBuilder builder)
                {
            /*README*/
                }
            }
            """),

        // ASP.NET Core class-based: a member of the function's APIGatewayProxyFunction subclass.
        new(
            "DatadogAspNetCoreLambda.TraceAsync(",
            "Microsoft.NET.Sdk.Web",
            ["Amazon.Lambda.AspNetCoreServer"],
            ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AspNetCoreServer"],
            """
            using System.Threading.Tasks;
            using Amazon.Lambda.APIGatewayEvents;
            using Amazon.Lambda.AspNetCoreServer;
            using Amazon.Lambda.Core;
            using Datadog.Otel.Lambda;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            namespace Readme;

            public class LambdaEntryPoint : APIGatewayProxyFunction<Startup>
            {
            /*README*/
            }

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services)
                {
                }

                public void Configure(IApplicationBuilder app)
                {
                }
            }
            """),

        // The AWS SDK: the provider's builder line, with Datadog.Otel.Lambda.AwsSdk.
        new(
            "AddDatadogAwsSdkInstrumentation()",
            "Microsoft.NET.Sdk",
            ["Amazon.Lambda.Core"],
            ["Datadog.Otel.Lambda", "Datadog.Otel.Lambda.AwsSdk", "OpenTelemetry.Instrumentation.Http"],
            """
            using OpenTelemetry;
            using OpenTelemetry.Trace;

            namespace Readme;

            public static class Fragment
            {
                public static void Run()
                {
            /*README*/
                }
            }
            """),

        // Manual propagation: statements where the payload's headers are at hand.
        new(
            "DatadogPropagation.",
            "Microsoft.NET.Sdk",
            ["Amazon.Lambda.Core"],
            ["Datadog.Otel.Lambda"],
            """
            using System.Collections.Generic;
            using System.Diagnostics;
            using Datadog.Otel.Lambda;

            namespace Readme;

            public static class Fragment
            {
                public static void Run(IReadOnlyDictionary<string, string> headersFromThePayload)
                {
            /*README*/
                }
            }
            """),
    ];

    /// <summary>The setting whose marker the fragment contains, or null when none does (or more than one).</summary>
    public static FragmentSetting? For(ReadmeBlocks.Block fragment)
    {
        var matching = All.Where(s => fragment.Code.Contains(s.Marker, StringComparison.Ordinal)).ToList();
        return matching.Count == 1 ? matching[0] : null;
    }

    public string Wrap(string code)
    {
        Assert.Contains(Placeholder, this.Around, StringComparison.Ordinal);
        return this.Around.Replace(Placeholder, code, StringComparison.Ordinal);
    }
}
