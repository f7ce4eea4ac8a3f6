using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class KeysApi
{
    private static readonly string[] ListParameters = ["teamId", "status", "cursor", "limit"];

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", CreateAsync).AdminOnly().Audited("key.create", AdminAudit.NewTarget)
            .Accepts<CreateKeyRequest>("application/json").Produces<KeyView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("CreateKey").WithSummary("Issues a key bound to a team and a use case; the secret is shown once.");
        admin.MapGet("/keys", ListAsync).Produces<KeyPage>().ProducesValidationProblem()
            .WithName("ListKeys").WithSummary("Pages through keys, newest first, by team and status; never a secret.");
        admin.MapGet("/keys/{id}", GetAsync).Produces<KeyView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetKey").WithSummary("One key, never its secret.");
        admin.MapPost("/keys/{id}/revoke", RevokeAsync).AdminOnly().Audited("key.revoke", "{id}", AdminAuditMode.RecordAfter)
            .Produces<KeyView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RevokeKey").WithSummary("Revokes a key; every front end refuses it from then on.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var (body, problem) = await AdminJson.ReadAsync<CreateKeyRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        var (binding, errors) = KeyRequestValidator.ToBinding(body!, time.GetUtcNow());
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
        scope.After = KeyView.From(result.Key, time.GetUtcNow());
        return TypedResults.Created($"/admin/api/keys/{result.Key.Id}", KeyView.From(result.Key, time.GetUtcNow(), result.Secret));
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var errors = Audit.AuditQueryParser.Check(request.Query, ListParameters);
        var query = KeyListQuery.Read(request.Query, errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var registry = grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey);
        var ids = query.TeamId is null ? await registry.ListIds() : await registry.ListTeamIds(query.TeamId);
        var newestFirst = ids.Reverse().ToList();
        var index = 0;
        if (query.After is { } after)
        {
            index = newestFirst.IndexOf(after) + 1;
            if (index == 0)
            {
                return AdminJson.Invalid("cursor", "This cursor is not valid; use the nextCursor of a previous page.");
            }
        }

        // Reads only as many keys as the page needs (a batch at a time when a status filter skips some).
        var items = new List<KeyView>(query.Limit);
        while (items.Count < query.Limit && index < newestFirst.Count)
        {
            var batch = newestFirst.Skip(index).Take(query.Limit - items.Count).ToList();
            var infos = await Task.WhenAll(batch.Select(id => grains.GetGrain<IApiKeyGrain>(id).GetInfo()));
            index += batch.Count;
            var now = time.GetUtcNow();
            items.AddRange(infos.OfType<KeyInfo>().Where(k => query.Matches(k, now)).Select(k => KeyView.From(k, now)));
        }

        var next = index < newestFirst.Count && items.Count > 0 ? KeyListQuery.Cursor(items[^1].Id) : null;
        return TypedResults.Ok(new KeyPage(items, next, query.Status is null ? newestFirst.Count : null));
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains, TimeProvider time)
    {
        var info = await grains.GetGrain<IApiKeyGrain>(id).GetInfo();
        return info is null ? NotFound() : TypedResults.Ok(KeyView.From(info, time.GetUtcNow()));
    }

    /// <summary>
    /// Revocation stops a key, so it is never held back by the audit log: it is recorded when made,
    /// as far as the log can take it.
    /// </summary>
    private static async Task<IResult> RevokeAsync(string id, HttpContext context, IGrainFactory grains, TimeProvider time)
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

        return info is null ? NotFound() : TypedResults.Ok(KeyView.From(info, time.GetUtcNow()));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");
}
