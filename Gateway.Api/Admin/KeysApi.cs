using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", CreateAsync).WithName("CreateKey").WithSummary("Issues a key bound to a team and a use case; the secret is shown once.");
        admin.MapGet("/keys", ListAsync).WithName("ListKeys").WithSummary("Lists every key, never a secret.");
        admin.MapGet("/keys/{id}", GetAsync).WithName("GetKey").WithSummary("One key, never its secret.");
        admin.MapPost("/keys/{id}/revoke", RevokeAsync).WithName("RevokeKey").WithSummary("Revokes a key; every front end refuses it from then on.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains, AdminAudit audit)
    {
        var (body, problem) = await AdminJson.ReadAsync<CreateKeyRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        var (binding, errors) = KeyRequestValidator.ToBinding(body!);
        if (binding is null)
        {
            return Results.ValidationProblem(errors, title: "The key request is not valid.");
        }

        if (await audit.BeginAsync("key.create", AdminAudit.NewTarget) is { } unaudited)
        {
            return unaudited;
        }

        var result = await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(binding);
        if (result.Errors is { Count: > 0 } refused)
        {
            return Results.ValidationProblem(refused, title: "The key request is not valid.");
        }

        await audit.RecordAsync("key.create", result.Key!.Id);
        return TypedResults.Created($"/admin/api/keys/{result.Key.Id}", KeyView.From(result.Key, result.Secret));
    }

    private static async Task<Ok<KeyView[]>> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).ListIds();
        var keys = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApiKeyGrain>(id).GetInfo()));
        return TypedResults.Ok(keys.OfType<KeyInfo>().Select(k => KeyView.From(k)).ToArray());
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        var info = await grains.GetGrain<IApiKeyGrain>(id).GetInfo();
        return info is null ? NotFound() : TypedResults.Ok(KeyView.From(info));
    }

    /// <summary>
    /// Revocation stops a key, so it is never held back by the audit log: it is recorded when made,
    /// as far as the log can take it.
    /// </summary>
    private static async Task<IResult> RevokeAsync(string id, IGrainFactory grains, AdminAudit audit)
    {
        var info = await grains.GetGrain<IApiKeyGrain>(id).Revoke();
        if (info is not null)
        {
            await audit.RecordAsync("key.revoke", info.Id);
        }

        return info is null ? NotFound() : TypedResults.Ok(KeyView.From(info));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");
}
