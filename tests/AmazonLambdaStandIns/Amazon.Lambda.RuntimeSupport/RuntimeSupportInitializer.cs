// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/{RuntimeSupportInitializer,Program}.cs
// and Bootstrap/UserCodeInitializer.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2): the managed
// runtime's class-library mode. The handler string (Program.Main's args[0]) goes to a UserCodeLoader, whose Init runs
// as the bootstrap's initializer (so a refused handler or a throwing constructor is reported to /runtime/init/error);
// the serializer it found is then put on every invocation's context, and every invocation calls the loader's delegate
// through HandlerWrapper.GetHandlerWrapper(Action<Stream, ILambdaContext, MemoryStream>), synchronously.
using System.Reflection;
using System.Runtime.Loader;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport.Bootstrap;

namespace Amazon.Lambda.RuntimeSupport;

public class RuntimeSupportInitializer
{
    private readonly string handler;

    public RuntimeSupportInitializer(string handler)
    {
        if (string.IsNullOrWhiteSpace(handler))
        {
            throw new ArgumentException("Cannot initialize RuntimeSupportInitializer with a null or empty function handler.", nameof(handler));
        }

        this.handler = handler;
    }

    public async Task RunLambdaBootstrap()
    {
        var userCodeLoader = new UserCodeLoader(this.handler);
        LambdaBootstrap bootstrap = null;
        LambdaBootstrapInitializer initializer = () =>
        {
            userCodeLoader.Init();
            bootstrap.SetSerializer(userCodeLoader.CustomerSerializerInstance as ILambdaSerializer);
            return Task.FromResult(true);
        };
        using var handlerWrapper = HandlerWrapper.GetHandlerWrapper(userCodeLoader.Invoke);
        using (bootstrap = new LambdaBootstrap(handlerWrapper, initializer))
        {
            await bootstrap.RunAsync().ConfigureAwait(false);
        }
    }
}

#if ExecutableOutputType
/// <summary>
/// The runtime image's entry point: <c>dotnet exec --depsfile F.deps.json --runtimeconfig F.runtimeconfig.json
/// /var/runtime/Amazon.Lambda.RuntimeSupport.dll Assembly::Type::Method</c>.
/// </summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        AssemblyLoadContext.Default.Resolving += ResolveRuntimeAssembly;
        if (args.Length == 0)
        {
            throw new ArgumentException("The function handler was not provided via command line arguments.", nameof(args));
        }

        await new RuntimeSupportInitializer(args[0]).RunLambdaBootstrap().ConfigureAwait(false);
    }

    // SnapshotRestore.Registry is the runtime's own dependency, listed in no function's deps.json: the real runtime
    // loads it from /var/runtime, this copy from its own folder.
    private static Assembly ResolveRuntimeAssembly(AssemblyLoadContext context, AssemblyName name)
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, name.Name + ".dll");
        return string.Equals(name.Name, "SnapshotRestore.Registry", StringComparison.OrdinalIgnoreCase) && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
#endif
