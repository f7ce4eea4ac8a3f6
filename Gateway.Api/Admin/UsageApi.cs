using System.Globalization;
using Synapse.Gateway.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// <c>GET /usage</c>: requests and tokens per minute (ranges up to 24 h) or per hour (up to 31
/// days), grouped by outcome class, team, key, model or provider, with the latency percentiles of
/// the completions in range. Computed on the server from the usage rollup, never by fetching rows.
/// </summary>
internal static class UsageApi
{
    public const int DefaultTop = 10;
    public const int MaxTop = 50;
    public static readonly TimeSpan MaxMinuteRange = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxHourRange = TimeSpan.FromDays(31);

    private static readonly string[] Parameters = ["from", "to", "bucket", "groupBy", "teamId", "keyId", "top"];
    private static readonly string[] Groupings = ["outcome", "team", "key", "model", "provider"];

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage", QueryAsync)
            .Produces<UsageView>()
            .ProducesValidationProblem()
            .WithName("GetUsage").WithSummary("Requests and tokens per minute or hour, grouped by outcome, team, key, model or provider, with latency percentiles.");
        return admin;
    }

    private static async Task<IResult> QueryAsync(HttpRequest request, UsageQuery usage, IGrainFactory grains, TimeProvider timeProvider)
    {
        var errors = AuditQueryParser.Check(request.Query, Parameters);
        var (from, to) = AuditQueryParser.ReadRange(request.Query, errors);
        var end = to ?? timeProvider.GetUtcNow();
        var start = from ?? end - TimeSpan.FromHours(1);
        var span = end - start;
        var bucket = request.Query["bucket"].ToString() is { Length: > 0 } b ? b : span <= MaxMinuteRange ? "minute" : "hour";
        if (bucket is not ("minute" or "hour"))
        {
            errors["bucket"] = ["'minute' or 'hour'."];
        }
        else if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            // Only a span of times that were read: one measured to "now" in place of a refused
            // 'to' replaced that field's own error with a complaint about the span.
            if (start >= end)
            {
                errors["from"] = ["'from' must be before 'to'."];
            }
            else if (bucket == "minute" && span > MaxMinuteRange)
            {
                errors["bucket"] = ["Minute buckets cover at most 24 hours; use bucket=hour."];
            }
            else if (bucket == "hour" && span > MaxHourRange)
            {
                errors["to"] = ["Hour buckets cover at most 31 days."];
            }
        }

        var groupBy = request.Query["groupBy"].ToString() is { Length: > 0 } g ? g : "outcome";
        if (!Groupings.Contains(groupBy, StringComparer.Ordinal))
        {
            errors["groupBy"] = [$"One of {string.Join(", ", Groupings)}."];
        }

        var teamId = AuditQueryParser.Id(request.Query, "teamId", errors);
        var keyId = AuditQueryParser.Id(request.Query, "keyId", errors);
        if ((teamId is not null || keyId is not null) && groupBy != "outcome")
        {
            errors["groupBy"] = ["A teamId or keyId filter goes with groupBy=outcome."];
        }

        if (teamId is not null && keyId is not null)
        {
            errors["keyId"] = ["Give a teamId or a keyId, not both."];
        }

        var top = DefaultTop;
        if (AuditQueryParser.Single(request.Query, "top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            errors["top"] = [$"A whole number from 1 to {MaxTop}."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The usage query is not valid.");
        }

        var size = bucket == "minute" ? 60_000L : 3_600_000L;
        var result = await usage.QueryAsync(new UsageRequest(start, end, size, groupBy, teamId, keyId, top), request.HttpContext.RequestAborted);
        var labels = await LabelsAsync(groupBy, result.Series.Select(s => s.Group), grains);
        return TypedResults.Ok(UsageView.Of(result, start, end, bucket, groupBy, labels));
    }

    /// <summary>Team and key names for the groups shown (at most <see cref="MaxTop"/> lookups).</summary>
    private static async Task<Dictionary<string, string>> LabelsAsync(string groupBy, IEnumerable<string?> groups, IGrainFactory grains)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = groups.OfType<string>().Where(g => g != UsageQuery.Other).ToList();
        if (groupBy == "team")
        {
            foreach (var team in await grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).List())
            {
                labels[team.Id] = team.Name;
            }
        }
        else if (groupBy == "key")
        {
            var infos = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApiKeyGrain>(id).GetInfo()));
            foreach (var info in infos.OfType<KeyInfo>())
            {
                labels[info.Id] = info.Binding.Name;
            }
        }

        return labels;
    }
}
