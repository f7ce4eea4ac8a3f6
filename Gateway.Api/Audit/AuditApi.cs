using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Audit;
using Synapse.Gateway.Admin;
using Synapse.Grains.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>
/// The audit log under the admin API: <c>GET /audit</c> (filtered pages, newest first),
/// <c>GET /audit/export</c> (a streamed range as CSV or JSON lines) and <c>GET /audit/verify</c>
/// (the row MACs and chains against the signed manifest and its copy in the checkpoint
/// directory). They read the database directly, so they work in either mode.
/// </summary>
public static class AuditApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", ListAsync).ProducesValidationProblem().WithName("ListAuditEvents").WithSummary("Pages through audit events, newest first.");
        admin.MapGet("/audit/export", ExportAsync).Audited("audit.export", target: null)
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson").Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem()
            .WithName("ExportAuditEvents").WithSummary("Streams audit events of a time range as CSV or JSON lines.");
        admin.MapGet("/audit/verify", VerifyAsync).Produces<AuditVerificationResult>().WithName("VerifyAuditLog").WithSummary("Recomputes the row MACs and chains and checks them against the signed manifest; reports what it checked.");
        return admin;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(HttpRequest request, IAuditStore store)
    {
        var errors = AuditQueryParser.Check(request.Query, AuditQueryParser.ListParameters);
        var query = AuditQueryParser.ReadList(request.Query, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        // One row more than asked tells whether an older page exists.
        var rows = await store.QueryAsync(query with { Limit = query.Limit + 1 }, request.HttpContext.RequestAborted);
        var items = rows.Take(query.Limit).Select(AuditEventView.From).ToList();
        var next = rows.Count > query.Limit ? AuditCursor.Encode(items[^1].Id) : null;
        return TypedResults.Ok(new AuditPage(items, next));
    }

    private static async Task<IResult> ExportAsync(HttpContext context, IAuditStore store)
    {
        var errors = AuditQueryParser.Check(context.Request.Query, AuditQueryParser.ExportParameters);
        var filter = AuditQueryParser.ReadList(context.Request.Query, errors);
        var (from, to) = (filter.From, filter.To);
        var format = context.Request.Query["format"].ToString() is { Length: > 0 } f ? f : AuditExport.JsonLines;
        if (format is not (AuditExport.Csv or AuditExport.JsonLines))
        {
            errors["format"] = ["The format is 'csv' or 'jsonl'."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        // What was exported goes into the export's own audit event: the format, the filter as given
        // (validated ids, words and times, never a secret) and how many events left.
        var scope = Admin.AdminAuditScope.Of(context);
        scope.Facts["format"] = format;
        scope.Facts["filter"] = context.Request.Query.Where(p => p.Key != "format").ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        context.Response.ContentType = AuditExport.ContentType(format);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{format}\"";
        scope.Facts["events"] = await AuditExport.WriteAsync(context.Response.Body, format, Filtered(store.ExportAsync(from, to, context.RequestAborted), filter), Json, context.RequestAborted);
        return Results.Empty;
    }

    private static async Task<IResult> VerifyAsync(AuditVerifier verifier, CancellationToken cancellationToken) =>
        Results.Json(await verifier.VerifyAsync(cancellationToken), Json);

    private static async IAsyncEnumerable<AuditRow> Filtered(IAsyncEnumerable<AuditRow> rows, AuditQuery filter)
    {
        await foreach (var row in rows)
        {
            if (filter.Matches(row))
            {
                yield return row;
            }
        }
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");
}
