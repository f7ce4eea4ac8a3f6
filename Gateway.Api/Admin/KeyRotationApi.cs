using Microsoft.AspNetCore.Http.Features;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.Admin;

/// <summary>
/// <c>POST /keys/{id}/rotate</c>: the same key — id, binding, limits, team, usage and audit history —
/// with a new secret, shown once. The secret is minted here and only its hash goes to the key, so
/// it never crosses a grain boundary, and is never logged or audited.
/// </summary>
internal static class KeyRotationApi
{
    public static RouteGroupBuilder MapKeyRotationApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys/{id}/rotate", RotateAsync).AdminOnly().Audited("key.rotate", "{id}")
            // No Accepts<T>: its content-type match would route a rotation without a body (the
            // default overlap) past this endpoint to the API's catch-all 404.
            .Produces<KeyView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("RotateKey").WithSummary("Gives a key a new secret, shown once; the old one works for the overlap (overlapSeconds, 0-86400, default 0) and is then refused like an unknown key. A revoked or expired key cannot be rotated (409).");
        return admin;
    }

    private static async Task<IResult> RotateAsync(string id, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var overlap = TimeSpan.Zero;
        if (HasBody(request))
        {
            var (body, problem) = await AdminJson.ReadAsync<RotateKeyRequest>(request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.OverlapSeconds is { } seconds)
            {
                if (seconds is < 0 or > RotateKeyRequest.MaxOverlapSeconds)
                {
                    return AdminJson.Invalid("overlapSeconds", $"The overlap is a whole number of seconds from 0 (the old secret stops at once) to {RotateKeyRequest.MaxOverlapSeconds} (a day).");
                }

                overlap = TimeSpan.FromSeconds(seconds);
            }
        }

        var key = grains.GetGrain<IApiKeyGrain>(id);
        if (await key.GetInfo() is not { } before)
        {
            return NotFound();
        }

        var secret = ApiKeySecrets.Generate();
        var result = await key.Rotate(new KeySecretRotation(ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), before.Prefix, overlap));
        var now = time.GetUtcNow();
        switch (result.Outcome)
        {
            case KeyRotationOutcome.NotFound:
                return NotFound();
            case KeyRotationOutcome.Revoked:
                return KeyChangeRefusal.Of(KeyEnd.Revoked, result.Key ?? before);
            case KeyRotationOutcome.Expired:
                return KeyChangeRefusal.Of(KeyEnd.Expired, result.Key ?? before);
            case KeyRotationOutcome.RotatedMeanwhile:
                return Conflict("Key rotated meanwhile", "This key was rotated by another request while this one ran; its new secret was shown to that request. Rotate again if a further secret is needed.");
        }

        var info = result.Key!;
        var scope = AdminAuditScope.Of(request.HttpContext);
        scope.Target = info.Id;
        scope.Before = new { prefix = before.Prefix };
        scope.After = new { prefix = info.Prefix, previousKeyEndsAt = info.PreviousSecretEndsAt };
        return TypedResults.Ok(KeyView.From(info, now, secret));
    }

    /// <summary>The body is optional: none (no length, no chunks) is the default rotation.</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0
        || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: "No key has this id.");

    private static IResult Conflict(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
