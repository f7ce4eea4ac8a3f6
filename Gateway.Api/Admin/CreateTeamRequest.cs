namespace Synapse.Gateway.Admin;

public sealed record CreateTeamRequest(string? Name);
