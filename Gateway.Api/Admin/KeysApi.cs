using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", CreateAsync).AdminOnly().Audited("key.create", AdminAudit.NewTarget)
            .Accepts<CreateKeyRequest>("application/json").Produces<KeyView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("CreateKey").WithSummary("Issues a key bound to a team and a use case; the secret is shown once.");
        admin.MapGet("/keys", ListAsync).WithName("ListKeys").WithSummary("Lists every key, never a secret.");
        admin.MapGet("/keys/{id}", GetAsync).WithName("GetKey").WithSummary("One key, never its secret.");
        admin.MapPost("/keys/{id}/revoke", RevokeAsync).AdminOnly().Audited("key.revoke", "{id}", AdminAuditMode.RecordAfter)
            .Produces<KeyView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RevokeKey").WithSummary("Revokes a key; every front end refuses it from then on.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
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

        var result = await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(binding);
        if (result.Errors is { Count: > 0 } refused)
        {
            return Results.ValidationProblem(refused, title: "The key request is not valid.");
        }

        var scope = AdminAuditScope.Of(request.HttpContext);
        scope.Target = result.Key!.Id;
        scope.After = KeyView.From(result.Key);
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
    private static async Task<IResult> RevokeAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var before = await grains.GetGrain<IApiKeyGrain>(id).GetInfo();
        var info = before is null ? null : await grains.GetGrain<IApiKeyGrain>(id).Revoke();
        if (info is not null)
        {
            var scope = AdminAuditScope.Of(context);
            scope.Target = info.Id;
            scope.Before = new { revoked = before!.RevokedAt is not null };
            scope.After = new { revoked = true };
        }

        return info is null ? NotFound() : TypedResults.Ok(KeyView.From(info));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");
}
