// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using AspNetCoreApi;
using Datadog.Otel.Lambda;

// An ASP.NET Core minimal API on Lambda behind an API Gateway HTTP API. The only Lambda-specific lines are the
// hosting registration, AddDatadogAWSLambdaHosting instead of Amazon.Lambda.AspNetCoreServer.Hosting's
// AddAWSLambdaHosting (DatadogAspNetCoreLambda.cs, the source file the Datadog.Otel.Lambda.AspNetCoreServer package
// adds), and the tracing registration in OrdersApi. Outside Lambda it runs on Kestrel as usual.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddDatadogAWSLambdaHosting(LambdaEventSource.HttpApi);
builder.Services.AddOrdersTracing();
builder.Services.AddSingleton(new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("INVENTORY_URL") ?? "http://127.0.0.1:8081") });

var app = builder.Build();
app.MapOrders();
app.Run();
