// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/Client/{RuntimeApiClient,
// InternalClientAdapted,RuntimeApiHeaders}.cs at 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2). What
// matters is how the client treats each answer of the Runtime API, because an emulator that answers otherwise stops
// the real bootstrap loop:
//   - next:           200 -> the event and the Lambda-Runtime-* headers (the request id header is required);
//   - response:       202 -> accepted, the body is not read;
//   - error, init/error: 202 -> the body must be a JSON StatusResponse ({"status":"OK"}), or the client throws
//                     "Could not deserialize the response body.";
//   - 400, 403, 413:  the body must be a JSON ErrorResponse ({"errorMessage":..,"errorType":..}); the client throws;
//   - 500:            "Container error. Non-recoverable state."; any other status but 200/204: unexpected, throws.
// Errors are posted as application/vnd.aws.lambda.error+json with the Lambda-Runtime-Function-Error-Type header.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.RuntimeSupport;

public interface IRuntimeApiHeaders
{
    string AwsRequestId { get; }

    string TraceId { get; }

    string TenantId { get; }
}

public class RuntimeApiClient
{
    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private readonly HttpClient httpClient;
    private readonly string baseUrl;

    public RuntimeApiClient(HttpClient httpClient)
    {
        this.httpClient = httpClient;
        this.baseUrl = "http://" + Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01";
    }

    public Task ReportInitializationErrorAsync(Exception exception, string errorType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return this.PostErrorAsync("/runtime/init/error", errorType, ErrorJson(exception), parseForbiddenOnly: true, cancellationToken);
    }

    public Task ReportInitializationErrorAsync(string errorType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(errorType);
        return this.PostErrorAsync("/runtime/init/error", errorType, null, parseForbiddenOnly: true, cancellationToken);
    }

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, this.baseUrl + "/runtime/invocation/next");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json"));
        using var response = await this.httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var headers = Headers(response);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var runtimeHeaders = new RuntimeApiHeaders(headers);
            return new InvocationRequest
            {
                InputStream = new MemoryStream(body),
                LambdaContext = new LambdaContext(runtimeHeaders),
            };
        }

        var data = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw response.StatusCode switch
        {
            HttpStatusCode.Forbidden => Typed("Forbidden", response.StatusCode, data, headers),
            HttpStatusCode.InternalServerError => ContainerError(response.StatusCode, data, headers),
            _ => Unexpected(response.StatusCode, data, headers),
        };
    }

    public async Task SendResponseAsync(string awsRequestId, Stream outputStream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(awsRequestId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{this.baseUrl}/runtime/invocation/{awsRequestId}/response");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json"));
        request.Content = outputStream is null ? new StringContent(string.Empty) : new StreamContent(new NonDisposingStream(outputStream));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await this.httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NoContent)
        {
            return;
        }

        var headers = Headers(response);
        var data = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw response.StatusCode switch
        {
            HttpStatusCode.BadRequest => Typed("Bad Request", response.StatusCode, data, headers),
            HttpStatusCode.Forbidden => Typed("Forbidden", response.StatusCode, data, headers),
            HttpStatusCode.RequestEntityTooLarge => Typed("Payload Too Large", response.StatusCode, data, headers),
            HttpStatusCode.InternalServerError => ContainerError(response.StatusCode, data, headers),
            _ => Unexpected(response.StatusCode, data, headers),
        };
    }

    public Task ReportInvocationErrorAsync(string awsRequestId, Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(awsRequestId);
        ArgumentNullException.ThrowIfNull(exception);
        return this.PostErrorAsync($"/runtime/invocation/{awsRequestId}/error", exception.GetType().Name, ErrorJson(exception), parseForbiddenOnly: false, cancellationToken);
    }

    internal static string ErrorJson(Exception exception)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType", exception.GetType().Name);
            writer.WriteString("errorMessage", exception.Message);
            writer.WriteStartArray("stackTrace");
            foreach (var line in (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Dictionary<string, IEnumerable<string>> Headers(HttpResponseMessage response)
    {
        var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value);
        foreach (var header in response.Content.Headers)
        {
            headers[header.Key] = header.Value;
        }

        return headers;
    }

    private static RuntimeApiClientException Typed(string message, HttpStatusCode status, string data, Dictionary<string, IEnumerable<string>> headers)
    {
        ErrorResponse result;
        try
        {
            result = JsonSerializer.Deserialize(data, RuntimeApiSerializationContext.Default.ErrorResponse);
        }
        catch (Exception ex)
        {
            return new RuntimeApiClientException("Could not deserialize the response body.", (int)status, data, headers, ex);
        }

        return new RuntimeApiClientException<ErrorResponse>(message, (int)status, data, headers, result, null);
    }

    private static RuntimeApiClientException ContainerError(HttpStatusCode status, string data, Dictionary<string, IEnumerable<string>> headers) =>
        new("Container error. Non-recoverable state. Runtime should exit promptly.\n", (int)status, data, headers, null);

    private static RuntimeApiClientException Unexpected(HttpStatusCode status, string data, Dictionary<string, IEnumerable<string>> headers) =>
        new("The HTTP status code of the response was not expected (" + (int)status + ").", (int)status, data, headers, null);

    private async Task PostErrorAsync(string path, string errorType, string errorJson, bool parseForbiddenOnly, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, this.baseUrl + path);
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        }

        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json"));
        request.Content = new StringContent(errorJson ?? string.Empty);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ErrorContentType);
        using var response = await this.httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var headers = Headers(response);
        var data = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted:
                try
                {
                    _ = JsonSerializer.Deserialize(data, RuntimeApiSerializationContext.Default.StatusResponse);
                    return;
                }
                catch (Exception ex)
                {
                    throw new RuntimeApiClientException("Could not deserialize the response body.", (int)response.StatusCode, data, headers, ex);
                }

            case HttpStatusCode.BadRequest when !parseForbiddenOnly:
                throw Typed("Bad Request", response.StatusCode, data, headers);
            case HttpStatusCode.Forbidden:
                throw Typed("Forbidden", response.StatusCode, data, headers);
            case HttpStatusCode.InternalServerError:
                throw ContainerError(response.StatusCode, data, headers);
            case HttpStatusCode.OK or HttpStatusCode.NoContent:
                return;
            default:
                throw Unexpected(response.StatusCode, data, headers);
        }
    }

    /// <summary>The client hands the function's output to HttpClient without letting it dispose the stream.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public class RuntimeApiClientException : Exception
{
    public RuntimeApiClientException(string message, int statusCode, string response, Dictionary<string, IEnumerable<string>> headers, Exception innerException)
        : base(message + "\n\nStatus: " + statusCode + "\nResponse: \n" + (response ?? string.Empty)[..Math.Min((response ?? string.Empty).Length, 512)], innerException)
    {
        this.StatusCode = statusCode;
        this.Response = response;
        this.Headers = headers;
    }

    public int StatusCode { get; private set; }

    public string Response { get; private set; }

    public Dictionary<string, IEnumerable<string>> Headers { get; private set; }
}

public class RuntimeApiClientException<TResult> : RuntimeApiClientException
{
    public RuntimeApiClientException(string message, int statusCode, string response, Dictionary<string, IEnumerable<string>> headers, TResult result, Exception innerException)
        : base(message, statusCode, response, headers, innerException)
    {
        this.Result = result;
    }

    public TResult Result { get; private set; }
}

internal sealed class StatusResponse
{
    [JsonPropertyName("status")]
    public string Status { get; set; }
}

internal sealed class ErrorResponse
{
    [JsonPropertyName("errorMessage")]
    public string ErrorMessage { get; set; }

    [JsonPropertyName("errorType")]
    public string ErrorType { get; set; }
}

[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class RuntimeApiSerializationContext : JsonSerializerContext;

internal sealed class RuntimeApiHeaders : IRuntimeApiHeaders
{
    public RuntimeApiHeaders(Dictionary<string, IEnumerable<string>> headers)
    {
        var all = new Dictionary<string, IEnumerable<string>>(headers, StringComparer.OrdinalIgnoreCase);

        // Required, as in the real client: a missing request id throws KeyNotFoundException.
        this.AwsRequestId = all["Lambda-Runtime-Aws-Request-Id"].FirstOrDefault();
        this.DeadlineMs = Value(all, "Lambda-Runtime-Deadline-Ms");
        this.ClientContextJson = Value(all, "Lambda-Runtime-Client-Context");
        this.CognitoIdentityJson = Value(all, "Lambda-Runtime-Cognito-Identity");
        this.InvokedFunctionArn = Value(all, "Lambda-Runtime-Invoked-Function-Arn");
        this.TraceId = Value(all, "Lambda-Runtime-Trace-Id");
        this.TenantId = Value(all, "Lambda-Runtime-Aws-Tenant-Id");
    }

    public string AwsRequestId { get; }

    public string InvokedFunctionArn { get; }

    public string TraceId { get; }

    public string ClientContextJson { get; }

    public string CognitoIdentityJson { get; }

    public string DeadlineMs { get; }

    public string TenantId { get; }

    private static string Value(Dictionary<string, IEnumerable<string>> headers, string name) =>
        headers.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;
}
