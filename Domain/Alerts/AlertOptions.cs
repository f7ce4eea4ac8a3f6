
namespace Synapse.Alerts;

/// <summary>Anomaly detection and webhook delivery, bound from <c>Synapse:Alerts</c> (docs/alerts.md).</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Synapse:Alerts";

    /// <summary>When false, signals are ignored and nothing is delivered.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A minute is a spike when it exceeds this many times the moving baseline…</summary>
    public double SpikeFactor { get; set; } = 5;

    /// <summary>…and has at least this many requests (so a quiet key does not alarm on its third request)…</summary>
    public long SpikeFloorRequests { get; set; } = 30;

    /// <summary>…or, for the token metric, at least this many tokens.</summary>
    public long SpikeFloorTokens { get; set; } = 50_000;

    /// <summary>The baseline is an exponentially weighted moving average of per-minute counts over about this many minutes.</summary>
    public int BaselineMinutes { get; set; } = 30;

    /// <summary>A key or team with fewer observed minutes than this has no baseline yet and raises no spike.</summary>
    public int BaselineWarmupMinutes { get; set; } = 5;

    /// <summary>After a spike alert, the same metric of the same key or team stays quiet this long.</summary>
    public int SpikeCooldownMinutes { get; set; } = 15;

    /// <summary>This many DLP blocks of one key…</summary>
    public int DlpBlockThreshold { get; set; } = 5;

    /// <summary>…within this many minutes raise <c>dlp_repeated_blocks</c>.</summary>
    public int DlpBlockWindowMinutes { get; set; } = 10;

    /// <summary><c>HH:mm-HH:mm</c> in <see cref="TimeZone"/>; a range that wraps midnight (<c>22:00-06:00</c>) is allowed.</summary>
    public string BusinessHours { get; set; } = "08:00-18:00";

    /// <summary>Day ranges and lists: <c>Mon-Fri</c>, <c>Mon,Wed,Fri</c>, <c>Sun-Thu</c>.</summary>
    public string BusinessDays { get; set; } = "Mon-Fri";

    /// <summary>An IANA time zone id (<c>Europe/Berlin</c>).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>More than this many off-hours requests of one key in one window raise <c>off_hours_burst</c>; 0 turns the check off.</summary>
    public int OffHoursRequestThreshold { get; set; } = 100;

    /// <summary>The off-hours window, aligned to the clock (UTC).</summary>
    public int OffHoursWindowMinutes { get; set; } = 60;

    /// <summary>How often activity grains close finished minutes.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a key grain holds its requests' activity signals before sending them to the key's
    /// activity grain in one call; zero sends each at once, at most one second (a minute's count
    /// must not miss its close by much).
    /// </summary>
    public TimeSpan SignalBatchDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a team waits after a minute ends for its keys' totals before judging it.</summary>
    public TimeSpan TeamSettleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Named webhook targets (<c>Synapse:Alerts:Webhooks:{name}</c>).</summary>
    public Dictionary<string, WebhookOptions> Webhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A delivery is given up (state <c>failed</c>) after this many attempts.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How long one attempt may take, connection to last response byte. Redirects are not followed.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry waits about this long; each later one twice as long (with jitter)…</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>…up to this.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the delivery loop looks for due rows when nothing woke it.</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most outbox rows one silo claims (and delivers in parallel) at a time.</summary>
    public int DeliveryBatchSize { get; set; } = 16;
}
