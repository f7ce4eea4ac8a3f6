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

        // Only a key that exists is named in the audit log: the id comes from the URL.
        var key = grains.GetGrain<IApiKeyGrain>(id);
        if (await key.GetInfo() is null)
        {
            return NotFound();
        }

        if (await audit.BeginAsync("key.limits", id) is { } unaudited)
        {
            return unaudited;
        }

        var info = await key.UpdateLimits(body!.ToLimits());
        if (info is null)
        {
            return NotFound();
        }

        await audit.RecordAsync("key.limits", info.Id);
        return TypedResults.Ok(KeyView.From(info));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");
}
