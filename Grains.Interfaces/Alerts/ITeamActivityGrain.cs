namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>A team's activity (grain key: the team id), summed from its keys' closed minutes and checked for usage spikes.</summary>
[Alias("synapse.ITeamActivityGrain")]
public interface ITeamActivityGrain : IGrainWithStringKey
{
    [Alias("RecordMinute"), OneWay]
    Task RecordMinute(KeyMinute minute);
}
