using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Gateway.Admin;

internal static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/providers", ListAsync).WithName("ListProviders").WithSummary("The configured providers and the models each serves.");
        return admin;
    }

    private static async Task<Ok<ProviderView[]>> ListAsync(IGrainFactory grains)
    {
        var providers = await grains.GetGrain<IProviderDirectoryGrain>(0).List();
        return TypedResults.Ok(providers.Select(p => new ProviderView(
            p.Name,
            p.Type,
            p.Location == ProviderLocation.OnPrem ? "on-prem" : "cloud",
            p.Models,
            p.Circuit == "closed" ? "healthy" : p.Circuit == "half-open" ? "recovering" : "unhealthy",
            p.Circuit)).ToArray());
    }

    public sealed record ProviderView(string Name, string Type, string Location, IReadOnlyList<string> Models, string Health, string Circuit);
}
