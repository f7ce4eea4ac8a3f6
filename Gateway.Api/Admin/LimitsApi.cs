using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class LimitsApi
{
    public static RouteGroupBuilder MapLimitsApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/keys/{id}/limits", UpdateAsync).WithName("UpdateKeyLimits").WithSummary("Changes a key's rate limits; the rest of its binding stays as it was issued.");
        return admin;
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains, AdminAudit audit)
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

        var limits = new KeyLimits(body!.RequestsPerMinute!.Value, body.TokensPerMinute!.Value, body.MaxConcurrentRequests!.Value);
        if (await audit.BeginAsync("key.limits", id) is { } unaudited)
        {
            return unaudited;
        }

        var info = await grains.GetGrain<IApiKeyGrain>(id).UpdateLimits(limits);
        if (info is not null)
        {
            await audit.RecordAsync("key.limits", info.Id);
        }

        return info is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.")
            : TypedResults.Ok(KeyView.From(info));
    }
}
