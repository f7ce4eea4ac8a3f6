using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Naming;

namespace Synapse.Gateway.Admin;

internal static class TeamsApi
{
    public const int MaxNameLength = 100;

    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/teams", CreateAsync).AdminOnly().Audited("team.create", AdminAudit.NewTarget)
            .Accepts<CreateTeamRequest>("application/json").Produces<TeamView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateTeam").WithSummary("Creates a team; names are unique, compared as they read (case, width and spacing ignored).");
        admin.MapGet("/teams", ListAsync).WithName("ListTeams").WithSummary("Lists every team.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, problem) = await AdminJson.ReadAsync<CreateTeamRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        if (DisplayName.Normalize(body!.Name, MaxNameLength) is not { } name)
        {
            return AdminJson.Invalid("name", $"A team needs a name of 1 to {MaxNameLength} {DisplayName.Rule}.");
        }

        var team = await grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Create(name);
        if (team is not null)
        {
            var scope = AdminAuditScope.Of(request.HttpContext);
            scope.Target = team.Id;
            scope.After = new TeamView(team.Id, team.Name, team.CreatedAt);
        }

        return team is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Team exists", detail: "A team with this name already exists.")
            : TypedResults.Created($"/admin/api/teams/{team.Id}", new TeamView(team.Id, team.Name, team.CreatedAt));
    }

    private static async Task<Ok<TeamView[]>> ListAsync(IGrainFactory grains)
    {
        var teams = await grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).List();
        var counts = await grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).CountByTeam();
        return TypedResults.Ok(teams.Select(t => new TeamView(t.Id, t.Name, t.CreatedAt, counts.GetValueOrDefault(t.Id))).ToArray());
    }

    /// <summary>A team; <see cref="KeyCount"/> counts its keys, revoked ones included.</summary>
    public sealed record TeamView(string Id, string Name, DateTimeOffset CreatedAt, int KeyCount = 0);
}
