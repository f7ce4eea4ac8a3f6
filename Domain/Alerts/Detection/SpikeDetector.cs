using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts.Detection;

/// <summary>
/// Judges closed minutes against an exponentially weighted moving average of earlier minutes
/// (alpha = 2 / (BaselineMinutes + 1)). A minute spikes when its count is at least the floor and
/// more than SpikeFactor times the baseline before it; a metric that spiked stays quiet for
/// SpikeCooldownMinutes. Minutes with no activity count as zeros, so an idle key's baseline decays.
/// </summary>
public sealed class SpikeDetector
{
    public const string RequestsMetric = "requests";
    public const string TokensMetric = "tokens";

    // Beyond this many idle minutes the baseline is zero for any practical alpha.
    private const int MaxDecayMinutes = 100_000;

    private readonly AlertOptions _options;
    private readonly double _alpha;

    public SpikeDetector(AlertOptions options, SpikeBaseline? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _alpha = 2.0 / (options.BaselineMinutes + 1);
        Baseline = baseline ?? new SpikeBaseline();
    }

    public SpikeBaseline Baseline { get; }

    /// <summary>Closes one minute; minutes at or before the last closed one are ignored.</summary>
    public IReadOnlyList<SpikeFinding> Close(DateTimeOffset minuteStart, long requests, long tokens)
    {
        var b = Baseline;
        if (b.LastClosedMinute is { } last)
        {
            if (minuteStart <= last)
            {
                return [];
            }

            var idle = (int)Math.Min(MaxDecayMinutes, (minuteStart - last).Ticks / TimeSpan.TicksPerMinute - 1);
            if (idle > 0)
            {
                var decay = Math.Pow(1 - _alpha, idle);
                b.Requests *= decay;
                b.Tokens *= decay;
                b.ObservedMinutes = (int)Math.Min(int.MaxValue, (long)b.ObservedMinutes + idle);
            }
        }

        var findings = new List<SpikeFinding>(0);
        if (b.ObservedMinutes >= _options.BaselineWarmupMinutes)
        {
            if (IsSpike(requests, b.Requests, _options.SpikeFloorRequests, b.LastRequestsAlert, minuteStart))
            {
                findings.Add(new SpikeFinding(RequestsMetric, minuteStart, requests, Math.Round(b.Requests, 2), _options.SpikeFloorRequests));
                b.LastRequestsAlert = minuteStart;
            }

            if (IsSpike(tokens, b.Tokens, _options.SpikeFloorTokens, b.LastTokensAlert, minuteStart))
            {
                findings.Add(new SpikeFinding(TokensMetric, minuteStart, tokens, Math.Round(b.Tokens, 2), _options.SpikeFloorTokens));
                b.LastTokensAlert = minuteStart;
            }
        }

        if (b.ObservedMinutes == 0)
        {
            b.Requests = requests;
            b.Tokens = tokens;
        }
        else
        {
            b.Requests += _alpha * (requests - b.Requests);
            b.Tokens += _alpha * (tokens - b.Tokens);
        }

        b.ObservedMinutes = b.ObservedMinutes == int.MaxValue ? int.MaxValue : b.ObservedMinutes + 1;
        b.LastClosedMinute = minuteStart;
        return findings;
    }

    private bool IsSpike(long value, double baseline, long floor, DateTimeOffset? lastAlert, DateTimeOffset minuteStart) =>
        value >= floor
        && value > _options.SpikeFactor * baseline
        && (lastAlert is not { } last || minuteStart - last >= TimeSpan.FromMinutes(_options.SpikeCooldownMinutes));
}
