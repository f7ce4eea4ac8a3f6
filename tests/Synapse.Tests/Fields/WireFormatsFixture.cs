using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Fields;

/// <summary>
/// One gateway in front of providers of every wire type — OpenAI, vLLM, Azure OpenAI, Anthropic,
/// Gemini, and two OpenAI providers that serve one model for failover — each a scripted mock on
/// real HTTP.
/// </summary>
public sealed class WireFormatsFixture : IAsyncLifetime
{
    public const string PairModel = "pair-model";

    /// <summary>Provider type → (model, its mock).</summary>
    public Dictionary<string, (string Model, ScriptedProvider Provider)> ByType { get; } = [];

    public ScriptedProvider PairA { get; private set; } = null!;

    public ScriptedProvider PairB { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public static IEnumerable<string> Types => ["openai", "vllm", "azure-openai", "anthropic", "gemini"];

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Synapse:Resilience:MaxRetries"] = "0",
            ["Synapse:Resilience:CircuitMinimumThroughput"] = "100000",
        };
        foreach (var type in Types)
        {
            var format = type switch { "anthropic" => WireFormat.Anthropic, "gemini" => WireFormat.Gemini, _ => WireFormat.OpenAi };
            var provider = await ScriptedProvider.StartAsync(format);
            var model = type + "-model";
            ByType[type] = (model, provider);
            Add(settings, type.Replace("-", string.Empty, StringComparison.Ordinal), type, provider.BaseUrl, type == "vllm" ? "on-prem" : "cloud", model);
        }

        PairA = await ScriptedProvider.StartAsync(WireFormat.OpenAi);
        PairB = await ScriptedProvider.StartAsync(WireFormat.OpenAi);
        Add(settings, "pairA", "openai", PairA.BaseUrl, "cloud", PairModel);
        Add(settings, "pairB", "openai", PairB.BaseUrl, "cloud", PairModel);
        Gateway = await GatewayHost.StartAsync(settings);
    }

    /// <summary>A key for every model, with the given handling of client system messages.</summary>
    public async Task<HttpClient> ClientAsync(string? clientSystemMessages = null, string systemPrompt = "You answer weather questions.")
    {
        var teamId = await Gateway.CreateTeamAsync();
        var request = new JsonObject
        {
            ["teamId"] = teamId,
            ["name"] = "fields",
            ["systemPrompt"] = systemPrompt,
            ["allowedModels"] = new JsonArray([.. ByType.Values.Select(v => (JsonNode)v.Model), PairModel]),
            ["classification"] = "non_sensitive",
            ["limits"] = new JsonObject { ["requestsPerMinute"] = 100_000, ["tokensPerMinute"] = 100_000_000, ["maxConcurrentRequests"] = 100 },
        };
        if (clientSystemMessages is not null)
        {
            request["clientSystemMessages"] = clientSystemMessages;
        }

        var response = await Gateway.Admin.PostAsJsonAsync("/admin/api/keys", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return Gateway.ClientFor(JsonNode.Parse(body)!["key"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var (_, provider) in ByType.Values)
        {
            await provider.DisposeAsync();
        }

        await PairA.DisposeAsync();
        await PairB.DisposeAsync();
    }

    private static void Add(Dictionary<string, string?> settings, string name, string type, Uri baseUrl, string location, string model)
    {
        foreach (var (key, value) in GatewayHost.Provider(name, baseUrl, location, model))
        {
            settings[key] = value;
        }

        settings[$"Synapse:Providers:{name}:Type"] = type;
    }
}

/// <summary>The field tests share one gateway and its mocks, one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class WireFormatsCollection : ICollectionFixture<WireFormatsFixture>
{
    public const string Name = "wire-formats";
}
