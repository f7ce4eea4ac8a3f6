namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>The alert types, as they appear in payloads, webhook <c>Events</c> filters and the admin API.</summary>
public static class AlertTypes
{
    public const string UsageSpike = "usage_spike";
    public const string DlpRepeatedBlocks = "dlp_repeated_blocks";
    public const string OffHoursBurst = "off_hours_burst";
    public const string DlpAlert = "dlp_alert";
    public const string ExpiredKeyUsed = "expired_key_used";

    /// <summary>A grain's stored state failed its seal and was refused (raised by the grain storage, not by the activity grains).</summary>
    public const string GrainStateTampered = "grain_state_tampered";

    public static IReadOnlyList<string> All { get; } = [UsageSpike, DlpRepeatedBlocks, OffHoursBurst, DlpAlert, ExpiredKeyUsed, GrainStateTampered];
}
