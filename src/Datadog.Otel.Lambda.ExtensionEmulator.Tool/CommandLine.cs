// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tool;

/// <summary>The <c>dd-lambda-emulator</c> command line, parsed by hand (<c>--name value</c> or <c>--name=value</c>).</summary>
internal sealed class CommandLine
{
    /// <summary>The extension's default OTLP/HTTP port.</summary>
    public const int DefaultPort = 4318;

    public const string Usage = """
        Usage: dd-lambda-emulator [options]

        Receives OTLP traces like the Datadog Lambda Extension on http://127.0.0.1:<port>/v1/traces,
        maps them to Datadog spans and prints each trace as a waterfall once no span arrived for it for 500 ms.

        Options:
          --port <port>              Port on 127.0.0.1 (default 4318; 0 picks a free port)
          --dd-service <name>        Emulated DD_SERVICE
          --dd-env <env>             Emulated DD_ENV
          --dd-version <version>     Emulated DD_VERSION
          --dd-tags <k:v,...>        Emulated DD_TAGS (comma- or space-separated key:value pairs)
          --function-name <name>     Emulated AWS_LAMBDA_FUNCTION_NAME: adds the function tags Datadog shows
                                     (functionname, resource, region, account_id, function_arn...)
                                     and _dd.base_service on inferred spans
          --region <region>          Emulated AWS_DEFAULT_REGION (default us-east-1)
          --account-id <id>          The function's account id (default 123456789012)
          --function-version <ver>   Emulated AWS_LAMBDA_FUNCTION_VERSION ($LATEST adds no qualifier)
          --memory-size <mb>         Emulated AWS_LAMBDA_FUNCTION_MEMORY_SIZE
          --init-type <type>         Emulated AWS_LAMBDA_INITIALIZATION_TYPE (on-demand, snap-start...)
          --execution-env <env>      Emulated AWS_EXECUTION_ENV (e.g. AWS_Lambda_dotnet8)
          --architecture <arch>      The function's architecture, x86_64 or arm64 (default: this machine's)
          --dd-trace-aws-service-representation-enabled <true|false>
                                     Emulated DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED (default true)
          --max-body-bytes <bytes>   Largest accepted request body (default 2097152)
          --html <file>              On exit, write every trace as an HTML waterfall and flame graph to <file>
          -h, --help                 Show this help

        """;

    private CommandLine(ExtensionEmulatorOptions options, bool showHelp)
    {
        Options = options;
        ShowHelp = showHelp;
    }

    public ExtensionEmulatorOptions Options { get; }

    public bool ShowHelp { get; }

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out CommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        var options = new ExtensionEmulatorOptions { Port = DefaultPort };
        var showHelp = false;
        commandLine = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitInlineValue(args[i]);
            if (name is "-h" or "--help")
            {
                showHelp = true;
                continue;
            }

            if (!IsKnownOption(name))
            {
                error = $"Unknown argument '{args[i]}'.";
                return false;
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                error = $"Option '{name}' needs a value.";
                return false;
            }

            if (!TryApply(options, name, value, out error))
            {
                return false;
            }
        }

        commandLine = new CommandLine(options, showHelp);
        error = null;
        return true;
    }

    private static (string Name, string? Value) SplitInlineValue(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 2 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static bool IsKnownOption(string name) =>
        name is "--port" or "--dd-service" or "--dd-env" or "--dd-version" or "--dd-tags" or "--max-body-bytes" or "--html"
            or "--function-name" or "--region" or "--account-id" or "--function-version" or "--memory-size" or "--init-type"
            or "--execution-env" or "--architecture" or "--dd-trace-aws-service-representation-enabled";

    private static bool TryApply(ExtensionEmulatorOptions options, string name, string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (name)
        {
            case "--port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                {
                    error = $"Invalid port '{value}': expected a number from 0 to 65535.";
                    return false;
                }

                options.Port = port;
                return true;
            case "--max-body-bytes":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit <= 0)
                {
                    error = $"Invalid body limit '{value}': expected a positive number of bytes.";
                    return false;
                }

                options.MaxRequestBodyBytes = limit;
                return true;
            case "--dd-service":
                options.Service = value;
                return true;
            case "--dd-env":
                options.Env = value;
                return true;
            case "--dd-version":
                options.Version = value;
                return true;
            case "--html":
                options.HtmlReportPath = value;
                return true;
            case "--function-name":
                options.FunctionName = value;
                return true;
            case "--region":
                options.Region = value;
                return true;
            case "--account-id":
                options.AccountId = value;
                return true;
            case "--function-version":
                options.FunctionVersion = value;
                return true;
            case "--memory-size":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var memory) || memory <= 0)
                {
                    error = $"Invalid memory size '{value}': expected a positive number of MB.";
                    return false;
                }

                options.MemorySize = memory;
                return true;
            case "--init-type":
                options.InitializationType = value;
                return true;
            case "--execution-env":
                options.ExecutionEnvironment = value;
                return true;
            case "--architecture":
                if (value is not ("x86_64" or "arm64"))
                {
                    error = $"Invalid architecture '{value}': expected x86_64 or arm64.";
                    return false;
                }

                options.Architecture = value;
                return true;
            case "--dd-trace-aws-service-representation-enabled":
                // A typo should not silently keep the default, although the variable itself reads anything but false/0 as on.
                var flag = value.ToLowerInvariant();
                if (flag is not ("true" or "false" or "1" or "0"))
                {
                    error = $"Invalid switch '{value}': expected true, false, 1 or 0.";
                    return false;
                }

                options.AwsServiceRepresentationEnabled = flag is "true" or "1";
                return true;
            default:
                options.Tags = value;
                return true;
        }
    }
}
