using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Gateway.Admin;

internal static class DlpApi
{
    public static RouteGroupBuilder MapDlpApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/dlp/policy", GetAsync).WithName("GetDlpPolicy").WithSummary("The global DLP policy: each category's action and the custom categories.");
        admin.MapPut("/dlp/policy", PutAsync).AdminOnly().Audited("dlp.policy", "policy")
            .Accepts<DlpPolicyRequest>("application/json").Produces<DlpPolicyDocument>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName("PutDlpPolicy").WithSummary("Replaces the global DLP policy; in force at once in the process that answers, on every other silo within a second. With If-Match (the ETag its GET gave), only if no one changed it since.");
        admin.MapPost("/dlp/test", TestAsync)
            .Accepts<DlpTestRequest>("application/json").Produces<DlpTestResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("TestDlp").WithSummary("Scans a text with the current policy: findings by offset, the rule that matched and why, and the redacted text.");
        return admin;
    }

    private static async Task<Ok<DlpPolicyDocument>> GetAsync(HttpResponse response, IGrainFactory grains)
    {
        var policy = await grains.GetGrain<IDlpPolicyGrain>(IDlpPolicyGrain.SingletonKey).Get();
        response.Headers.ETag = PolicyVersionTag.Of(policy.Version);
        return TypedResults.Ok(policy);
    }

    private static async Task<IResult> PutAsync(HttpRequest request, IGrainFactory grains, DlpScannerCache scanners)
    {
        var (body, problem) = await AdminJson.ReadAsync<DlpPolicyRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        var document = new DlpPolicyDocument(
            body!.Actions ?? new Dictionary<string, string>(),
            [.. (body.CustomCategories ?? []).Select(c => new DlpCustomCategoryDocument(c.Name ?? string.Empty, c.Pattern ?? string.Empty, c.Action ?? string.Empty, c.MaxLength ?? 64))],
            Version: 0);
        var policy = grains.GetGrain<IDlpPolicyGrain>(IDlpPolicyGrain.SingletonKey);
        var before = await policy.Get();
        var update = PolicyVersionTag.Expected(request) is { } expected ? await policy.Put(document, expected) : await policy.Put(document);
        if (update.CurrentVersion is { } current)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "The DLP policy changed since it was read",
                detail: $"Another change was saved since this one's version was read: the policy is at version {current} now. Read it again (reload the page) and make the change on that version.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13");
        }

        if (update.Errors is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors, title: "The DLP policy is not valid.");
        }

        request.HttpContext.Response.Headers.ETag = PolicyVersionTag.Of(update.Policy!.Version);
        scanners.Install(update.Policy);

        var scope = AdminAuditScope.Of(request.HttpContext);
        scope.Target = "v" + update.Policy!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        scope.Before = before;
        scope.After = update.Policy;
        if (update.Policy.Version == before.Version)
        {
            scope.Facts["unchanged"] = true;
        }

        return TypedResults.Ok(update.Policy);
    }

    private static async Task<IResult> TestAsync(HttpRequest request, DlpScannerCache scanners)
    {
        var (body, problem) = await AdminJson.ReadAsync<DlpTestRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Text is null)
        {
            return AdminJson.Invalid("text", "Required: the text to scan.");
        }

        DlpScanner scanner;
        try
        {
            scanner = await scanners.GetAsync(body.Overrides);
        }
        catch (DlpPolicyException e)
        {
            return AdminJson.Invalid(e.Field, e.Problem);
        }

        try
        {
            var (result, explanations) = scanner.Explain(body.Text);
            return TypedResults.Ok(new DlpTestResponse(
                [.. result.Findings.Select((f, i) => new DlpTestFinding(f.Category, f.Start, f.Length, DlpActions.ToName(f.Action), explanations[i].Rule, explanations[i].Reason))],
                result.RedactedText,
                result.Verdict.IsBlocked));
        }
        catch (DlpScanException)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Scan did not finish", detail: "The text could not be scanned within the time budget; in a request it would fail closed.");
        }
    }

    public sealed record DlpPolicyRequest(IReadOnlyDictionary<string, string>? Actions, IReadOnlyList<CustomCategoryRequest>? CustomCategories);

    public sealed record CustomCategoryRequest(string? Name, string? Pattern, string? Action, int? MaxLength);

    public sealed record DlpTestRequest(string? Text, IReadOnlyDictionary<string, string>? Overrides);

    /// <summary>
    /// Offsets and categories, and which rule matched and why (<c>rule</c>, e.g. <c>credit_card.luhn_issuer</c>;
    /// <c>reason</c>, e.g. "Luhn valid, issuer Visa, 16 digits"): the matched text is never echoed beyond the offsets.
    /// </summary>
    public sealed record DlpTestFinding(string Category, int Start, int Length, string Action, string Rule, string Reason);

    public sealed record DlpTestResponse(IReadOnlyList<DlpTestFinding> Findings, string RedactedText, bool Blocked);
}
