using System.Globalization;
using System.Text.Json;
using Synapse.Audit;
using Synapse.Gateway.Admin;
using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>
/// <c>POST /audit/prove {"eventId","text"}</c>: whether <c>text</c> is what an event recorded as its
/// prompt or answer, by recomputing the keyed digest on the server (the text is never stored or
/// logged; the audit row of the check names the event and the verdict only). The digest proves
/// nothing unless the row is as its writer made it: a superuser can copy another event's digest
/// into it. So the row's MAC is checked too (<see cref="AuditVerifier.IsRowIntactAsync"/>, as
/// <c>audit prove</c> does), and a row that is not intact never matches. The answer names the
/// event by what the MAC covers (event id, partition and sequence) beside its <c>id</c>, which the
/// database assigns and a superuser can swap. Each identity may check only so many texts per
/// window (<see cref="AuditProofBudget"/>): every check is a guess at a prompt.
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
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ProveAuditText").WithSummary("Whether a text is what an audit event recorded (its keyed digest recomputed on the server).");
        return admin;
    }

    private static async Task<IResult> ProveAsync(HttpContext context, IAuditStore store, AuditEventLookup lookup, AuditDigester digester, AuditVerifier verifier, AuditProofBudget budget)
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

        // Every request that carries a text spends one, whatever its event turns out to be: a
        // request carries one text, and the budget counts texts.
        if (!budget.TryTake(context.User, out var retryAfter))
        {
            return budget.Refusal(context, retryAfter);
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

        AuditRow? row;
        try
        {
            row = id > 0 ? await store.GetAsync(id.Value, context.RequestAborted) : null;
        }
        catch (UnreadableAuditRowException e)
        {
            // A value no writer stores (AuditRowReader): the row was edited; there is nothing to prove against.
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Event cannot be read",
                detail: $"The row with this id cannot be read ({e.Reason}): it was edited. Verify the log to see where it breaks.");
        }

        if (row is null)
        {
            return AdminRouteExtensions.NotFound("Event not found", "No audit event has this id.");
        }

        var rowIntact = await verifier.IsRowIntactAsync(row, context.RequestAborted);
        var matched = rowIntact
            ? new[] { (Kind: AuditDigester.PromptKind, Digest: row.Record.PromptSha256), (Kind: AuditDigester.ResponseKind, Digest: row.Record.ResponseSha256) }
                .Where(c => digester.Matches(c.Digest, c.Kind, text))
                .Select(c => c.Kind)
                .FirstOrDefault()
            : null;
        var scope = AdminAuditScope.Of(context);
        scope.Target = row.Id.ToString(CultureInfo.InvariantCulture);
        scope.Facts["match"] = matched is not null;
        scope.Facts["rowIntact"] = rowIntact;
        scope.Facts["eventId"] = row.Record.EventId.ToString("D");
        return TypedResults.Ok(new ProveResult(matched is not null, matched, rowIntact, row.Id, row.Record.EventId, row.PartitionId, row.Seq));
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

    /// <summary>
    /// <see cref="Matched"/> says which digest matched: <c>prompt</c> or <c>response</c>.
    /// <see cref="Match"/> is never true when <see cref="RowIntact"/> is false (an edited row proves
    /// nothing). <see cref="EventId"/>, <see cref="PartitionId"/> and <see cref="PartitionSeq"/>
    /// name the event (the MAC covers them); <see cref="Id"/> only locates its row.
    /// </summary>
    public sealed record ProveResult(bool Match, string? Matched, bool RowIntact, long Id, Guid EventId, string PartitionId, long PartitionSeq);
}
