// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Net.Http.Headers;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>Raw HTTP calls to an emulator, bounded in time.</summary>
internal static class EmulatorClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<HttpResponseMessage> PostAsync(Uri uri, byte[] body, string? contentType, string? contentEncoding = null)
    {
        using var client = new HttpClient { Timeout = Timeout };
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        var response = await client.PostAsync(uri, content);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri)
    {
        using var client = new HttpClient { Timeout = Timeout };
        using var request = new HttpRequestMessage(method, uri);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
