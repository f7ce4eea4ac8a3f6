using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>A gateway of its own for DLP tests, which change the global policy.</summary>
public sealed class DlpGatewayFixture : IAsyncLifetime
{
    public const string EchoModel = "llama3";
    public const string LeakyModel = "leaky";
    public const string CardModel = "card-leaker";
    public const string CloudModel = "gpt-4o";
    public const string LeakedEmail = "jane.doe@example.com";
    public const string LeakedCard = "4111 1111 1111 1111";

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public MockOpenAiUpstream Cloud { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        Cloud = await MockOpenAiUpstream.StartAsync();
        Upstream.ReplyByModel[LeakyModel] = $"Sure, write to {LeakedEmail} and she will answer you today.";
        Upstream.ReplyByModel[CardModel] = $"The card on file is {LeakedCard} and it expires soon.";
        var settings = GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", EchoModel, LeakyModel, CardModel);
        foreach (var (key, value) in GatewayHost.Provider("cloud", Cloud.BaseUrl, "cloud", CloudModel))
        {
            settings[key] = value;
        }

        Gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
        await Cloud.DisposeAsync();
    }
}
