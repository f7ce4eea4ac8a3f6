using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class LimitsApi
{
    public static RouteGroupBuilder MapLimitsApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/keys/{id}/limits", UpdateAsync).AdminOnly().Audited("key.limits", "{id}")
            .Accepts<LimitsRequest>("application/json").Produces<KeyView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("UpdateKeyLimits").WithSummary("Changes a key's rate limits; the rest of its binding stays as it was issued. A revoked or expired key cannot be changed (409, code key_revoked or key_expired).");
        return admin;
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var (body, problem) = await AdminJson.ReadAsync<LimitsRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = KeyRequestValidator.ValidateLimits(body!, prefix: string.Empty);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The limits are not valid.");
        }

        var key = grains.GetGrain<IApiKeyGrain>(id);
        if (await key.GetInfo() is not { } before)
        {
            return NotFound();
        }

        if (KeyChangeRefusal.For(before, time.GetUtcNow()) is { } over)
        {
            return over;
        }

        var limits = body!.ToLimits();
        var info = await key.UpdateLimits(limits);
        if (info is null)
        {
            return NotFound();
        }

        if (info.Binding.Limits != limits)
        {
            // Refused by the key itself, in its turn: a revoke or the expiry between the read above
            // and this change cannot be followed by new limits.
            return KeyChangeRefusal.Of(info.RevokedAt is not null ? KeyEnd.Revoked : KeyEnd.Expired, info);
        }

        var scope = AdminAuditScope.Of(request.HttpContext);
        scope.Target = info.Id;
        scope.Before = before.Binding.Limits;
        scope.After = info.Binding.Limits;
        return TypedResults.Ok(KeyView.From(info, time.GetUtcNow()));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");
}
