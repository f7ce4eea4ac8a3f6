using System.Globalization;
using System.Text.Json;
using Synapse.Audit;
using Synapse.Gateway.Admin;
using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>
/// <c>POST /audit/prove {"eventId","text"}</c>: whether <c>text</c> is what an event recorded as its
/// prompt or answer, by recomputing the keyed digest on the server (the text is never stored or
/// logged; the audit row of the check names the event and the verdict only).
/// </summary>
internal static class AuditProveApi
{
    public const int MaxTextLength = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapAuditProveApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/audit/prove", ProveAsync)
            .Audited("audit.prove", target: null, AdminAuditMode.RecordAfter)
            .Accepts<ProveRequest>("application/json")
            .Produces<ProveResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ProveAuditText").WithSummary("Whether a text is what an audit event recorded (its keyed digest recomputed on the server).");
        return admin;
    }

    private static async Task<IResult> ProveAsync(HttpContext context, IAuditStore store, AuditEventLookup lookup, AuditDigester digester)
    {
        var (body, problem) = await AdminJson.ReadAsync<ProveRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Text is not { Length: <= MaxTextLength } text)
        {
            return AdminJson.Invalid("text", body.Text is null ? "Required: the text to check." : $"At most {MaxTextLength} characters.");
        }

        var idText = TextOf(body.EventId);
        long? id = body.EventId is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var n) ? n
            : long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : Guid.TryParse(idText, out var guid) ? await lookup.FindIdAsync(guid, context.RequestAborted) ?? -1
            : null;
        if (id is null)
        {
            return AdminJson.Invalid("eventId", "Required: the event's id (a number) or its eventId (a uuid).");
        }

        var row = id > 0 ? await store.GetAsync(id.Value, context.RequestAborted) : null;
        if (row is null)
        {
            return AdminRouteExtensions.NotFound("Event not found", "No audit event has this id.");
        }

        var matched = new[] { (Kind: AuditDigester.PromptKind, Digest: row.Record.PromptSha256), (Kind: AuditDigester.ResponseKind, Digest: row.Record.ResponseSha256) }
            .Where(c => digester.Matches(c.Digest, c.Kind, text))
            .Select(c => c.Kind)
            .FirstOrDefault();
        var scope = AdminAuditScope.Of(context);
        scope.Target = row.Id.ToString(CultureInfo.InvariantCulture);
        scope.Facts["match"] = matched is not null;
        return TypedResults.Ok(new ProveResult(matched is not null, matched, row.Id, row.Record.EventId));
    }

    /// <summary>A JSON string's text; null for any other value, and for a string that is not valid UTF-16 (a lone surrogate escape, which <see cref="JsonElement.GetString"/> throws on).</summary>
    private static string? TextOf(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text)
        {
            return null;
        }

        try
        {
            return text.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public sealed record ProveRequest(JsonElement? EventId, string? Text);

    /// <summary><see cref="Matched"/> says which digest matched: <c>prompt</c> or <c>response</c>.</summary>
    public sealed record ProveResult(bool Match, string? Matched, long Id, Guid EventId);
}
