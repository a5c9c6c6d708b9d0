// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Serialization.SystemTextJson/{AbstractLambdaJsonSerializer,
// AwsNamingPolicy,JsonSerializerException}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (3.0.0). Lambda's options: nulls
// not written, names read case-insensitively, AwsNamingPolicy (names unchanged but for two S3 headers), relaxed escaping.
// The four converters of the real options (DateTime, MemoryStream, ConstantClass, byte[]) are left out: no member of
// the event types the tests serialize has those types.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.Serialization.SystemTextJson;

public abstract class AbstractLambdaJsonSerializer
{
    protected AbstractLambdaJsonSerializer(Action<JsonWriterOptions> jsonWriterCustomizer)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        jsonWriterCustomizer?.Invoke(options);
        this.WriterOptions = options;
    }

    protected JsonWriterOptions WriterOptions { get; }

    public void Serialize<T>(T response, Stream responseStream)
    {
        try
        {
            using var writer = new Utf8JsonWriter(responseStream, this.WriterOptions);
            this.InternalSerialize(writer, response);
        }
        catch (Exception e)
        {
            throw new JsonSerializerException($"Error converting the response object of type {typeof(T).FullName} from the Lambda function to JSON: {e.Message}", e);
        }
    }

    public T Deserialize<T>(Stream requestStream)
    {
        try
        {
            byte[] utf8Json;
            if (requestStream is MemoryStream memory)
            {
                utf8Json = memory.ToArray();
            }
            else
            {
                using var copy = new MemoryStream();
                requestStream.CopyTo(copy);
                utf8Json = copy.ToArray();
            }

            return this.InternalDeserialize<T>(utf8Json);
        }
        catch (Exception e)
        {
            throw new JsonSerializerException($"Error converting the Lambda event JSON payload to type {typeof(T).FullName}: {e.Message}", e);
        }
    }

    protected virtual JsonSerializerOptions CreateDefaultJsonSerializationOptions() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = new AwsNamingPolicy(),
    };

    protected abstract void InternalSerialize<T>(Utf8JsonWriter writer, T response);

    protected abstract T InternalDeserialize<T>(byte[] utf8Json);
}

public class AwsNamingPolicy : JsonNamingPolicy
{
    private readonly JsonNamingPolicy fallbackNamingPolicy;

    public AwsNamingPolicy()
    {
    }

    public AwsNamingPolicy(JsonNamingPolicy fallbackNamingPolicy)
    {
        this.fallbackNamingPolicy = fallbackNamingPolicy;
    }

    public override string ConvertName(string name) => name switch
    {
        "XAmzId2" => "x-amz-id-2",
        "XAmzRequestId" => "x-amz-request-id",
        _ => this.fallbackNamingPolicy?.ConvertName(name) ?? name,
    };
}

public class JsonSerializerException : Exception
{
    public JsonSerializerException(string message)
        : base(message)
    {
    }

    public JsonSerializerException(string message, Exception exception)
        : base(message, exception)
    {
    }
}
