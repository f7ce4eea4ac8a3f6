using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Alerts.Outbox;
using Synapse.Gateway.Admin;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Hosting.Alerts;
using Synapse.Persistence.Alerts;
using Synapse.Persistence.Storage;

namespace Synapse.Gateway.Alerts;

/// <summary>
/// <c>GET /alerts?limit=&amp;type=</c> under the admin API: the newest alerts with their delivery
/// state per webhook. It reads the outbox tables directly, so it works in either mode (a front end
/// without a co-hosted silo reads through a store made from the configured database).
/// </summary>
public static class AlertsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private static readonly string[] Parameters = ["limit", "type"];

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/alerts", ListAsync).WithName("ListAlerts").WithSummary("Lists recent alerts, newest first, with their webhook delivery state.");
        admin.MapPost("/alerts/{alertId}/deliveries/{webhook}/retry", RetryAsync).AdminOnly()
            .Audited("alert.retry", "{alertId}")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RetryAlertDelivery").WithSummary("Queues a failed webhook delivery again; the outbox sends it at once.");
        return admin;
    }

    private static async Task<IResult> RetryAsync(string alertId, string webhook, HttpContext context, SynapseDatabase database, TimeProvider timeProvider)
    {
        var store = context.RequestServices.GetService<IAlertStore>() ?? AlertStores.Create(database);
        if (!Guid.TryParse(alertId, out var id) || webhook.Length > 256
            || !await store.RetryAsync(id, webhook, timeProvider.GetUtcNow(), context.RequestAborted))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No failed delivery", detail: "This alert has no failed delivery to this webhook.");
        }

        Admin.AdminAuditScope.Of(context).Facts["webhook"] = webhook;
        return Results.Accepted();
    }

    private static async Task<Results<Ok<AlertList>, ValidationProblem>> ListAsync(HttpContext context, SynapseDatabase database)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (!Parameters.Contains(name, StringComparer.Ordinal))
            {
                errors[name] = ["This parameter is not supported."];
            }
            else if (values.Count > 1)
            {
                errors[name] = ["Give this parameter at most once."];
            }
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"The limit must be a whole number from 1 to {MaxLimit}."];
        }

        string? type = null;
        if (query.TryGetValue("type", out var typeText) && !AlertTypes.All.Contains(type = typeText.ToString(), StringComparer.Ordinal))
        {
            errors["type"] = [$"The type is one of {string.Join(", ", AlertTypes.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        }

        var store = context.RequestServices.GetService<IAlertStore>() ?? AlertStores.Create(database);
        var listings = await store.ListAsync(limit, type, context.RequestAborted);
        return TypedResults.Ok(new AlertList(listings.Select(AlertView.From).ToList()));
    }
}
