using Synapse.ProxyFloor;

// Passes POST /v1/chat/completions on to UPSTREAM and its answer back, nothing else: no key, no
// DLP, no audit, no metrics. "plain" forwards from the endpoint; "grain" forwards from a grain of a
// silo in the same process, the one Orleans hop the gateway's request path cannot avoid;
// "resilient" forwards from the endpoint through a factory client with the gateway's resilience
// pipeline (retry, circuit breaker, timeout), to see what that pipeline costs.
//   dotnet Synapse.ProxyFloor.dll plain|grain|resilient http://127.0.0.1:UPSTREAM/v1 http://127.0.0.1:PORT
if (args.Length != 3 || args[0] is not ("plain" or "grain" or "resilient"))
{
    Console.Error.WriteLine("usage: Synapse.ProxyFloor plain|grain|resilient UPSTREAM-BASE-URL LISTEN-URL");
    return 2;
}

var viaGrain = args[0] == "grain";
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(args[2]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var chatCompletions = new Uri(args[1].TrimEnd('/') + "/chat/completions");
if (args[0] == "resilient")
{
    Upstream.AddResilientClient(builder.Services);
    builder.Services.AddSingleton(sp => new Upstream(chatCompletions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(Upstream.ResilientClient)));
}
else
{
    builder.Services.AddSingleton(new Upstream(chatCompletions));
}

if (viaGrain)
{
    builder.UseOrleans(silo => silo.UseLocalhostClustering());
}

var app = builder.Build();
app.MapPost("/v1/chat/completions", async (HttpContext context, Upstream upstream, IServiceProvider services) =>
{
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    var answer = viaGrain
        ? await services.GetRequiredService<IGrainFactory>().GetGrain<IForwardGrain>("floor").Forward(body.ToArray())
        : await upstream.ForwardAsync(body.ToArray());
    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(answer);
});
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
return 0;
