// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.AspNetCoreServer/{Internal/LambdaServer,
// Internal/Utilities,WebHostBuilderExtensions}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (10.1.1). The real
// LambdaServer only holds the ASP.NET Core application for the function classes; here a TestServer holds it.
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Amazon.Lambda.AspNetCoreServer.Internal
{
    public class LambdaServer : IServer
    {
        public LambdaServer(IServiceProvider serviceProvider)
        {
            this.TestServer = new TestServer(serviceProvider) { PreserveExecutionContext = true };
        }

        public IFeatureCollection Features => this.TestServer.Features;

        /// <summary>Gets the server that runs the application's pipeline (stand-in only).</summary>
        public TestServer TestServer { get; }

        public virtual Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) =>
            ((IServer)this.TestServer).StartAsync(application, cancellationToken);

        public virtual Task StopAsync(CancellationToken cancellationToken) => ((IServer)this.TestServer).StopAsync(cancellationToken);

        public void Dispose()
        {
            this.TestServer.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    public static class Utilities
    {
        public static void EnsureLambdaServerRegistered(IServiceCollection services) => EnsureLambdaServerRegistered(services, typeof(LambdaServer));

        public static void EnsureLambdaServerRegistered(IServiceCollection services, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type serverType)
        {
            var lambdaServers = 0;
            foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IServer)).ToList())
            {
                if (descriptor.ImplementationType == serverType && ++lambdaServers == 1)
                {
                    continue;
                }

                services.Remove(descriptor);
            }

            if (lambdaServers == 0)
            {
                services.AddSingleton(typeof(IServer), serverType);
            }
        }
    }
}

namespace Amazon.Lambda.AspNetCoreServer
{
    public static class WebHostBuilderExtensions
    {
        public static IWebHostBuilder UseLambdaServer(this IWebHostBuilder hostBuilder) =>
            hostBuilder.ConfigureServices(services => Internal.Utilities.EnsureLambdaServerRegistered(services));
    }
}
