using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts;

/// <summary>Checks <see cref="AlertOptions"/> when the silo starts; messages name settings and webhooks, never URLs or secrets.</summary>
public static class AlertOptionsValidator
{
    public const int MinimumSecretLength = 16;

    public static IReadOnlyList<string> Validate(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var section = AlertOptions.SectionName;
        BusinessCalendar.TryParse(options, errors);
        Require(errors, options.SpikeFactor > 1, $"{section}:SpikeFactor must be greater than 1.");
        Require(errors, options.SpikeFloorRequests >= 1 && options.SpikeFloorTokens >= 1, $"{section}:SpikeFloorRequests and SpikeFloorTokens must be at least 1.");
        Require(errors, options.BaselineMinutes >= 2, $"{section}:BaselineMinutes must be at least 2.");
        Require(errors, options.BaselineWarmupMinutes >= 0 && options.SpikeCooldownMinutes >= 1, $"{section}:BaselineWarmupMinutes must be at least 0 and SpikeCooldownMinutes at least 1.");
        Require(errors, options.DlpBlockThreshold >= 1 && options.DlpBlockWindowMinutes >= 1, $"{section}:DlpBlockThreshold and DlpBlockWindowMinutes must be at least 1.");
        Require(errors, options.OffHoursRequestThreshold >= 0 && options.OffHoursWindowMinutes >= 1, $"{section}:OffHoursRequestThreshold must be at least 0 and OffHoursWindowMinutes at least 1.");
        Require(errors, options.TickInterval > TimeSpan.Zero && options.TeamSettleDelay >= TimeSpan.Zero, $"{section}:TickInterval must be positive and TeamSettleDelay not negative.");
        Require(errors, options.SignalBatchDelay >= TimeSpan.Zero && options.SignalBatchDelay <= TimeSpan.FromSeconds(1), $"{section}:SignalBatchDelay must be between zero and one second.");
        Require(errors, options.MaxAttempts >= 1 && options.DeliveryBatchSize >= 1, $"{section}:MaxAttempts and DeliveryBatchSize must be at least 1.");
        Require(errors, options.DeliveryTimeout > TimeSpan.Zero && options.DeliveryPollInterval > TimeSpan.Zero, $"{section}:DeliveryTimeout and DeliveryPollInterval must be positive.");
        Require(errors, options.RetryBaseDelay > TimeSpan.Zero && options.RetryMaxDelay >= options.RetryBaseDelay, $"{section}:RetryBaseDelay must be positive and RetryMaxDelay at least as long.");

        foreach (var (name, webhook) in options.Webhooks)
        {
            var prefix = $"{section}:Webhooks:{name}";
            if (WebhookTargetPolicy.Check(webhook.Url) is { } problem)
            {
                errors.Add($"{prefix}:Url {problem}.");
            }

            Require(errors, webhook.Secret.Length >= MinimumSecretLength, $"{prefix}:Secret must have at least {MinimumSecretLength} characters.");
            Require(errors, webhook.Format is WebhookOptions.JsonFormat or WebhookOptions.SlackFormat, $"{prefix}:Format must be '{WebhookOptions.JsonFormat}' or '{WebhookOptions.SlackFormat}'.");
            foreach (var type in webhook.Events.Where(e => !AlertTypes.All.Contains(e, StringComparer.Ordinal)))
            {
                errors.Add($"{prefix}:Events has unknown alert type '{type}' (known: {string.Join(", ", AlertTypes.All)}).");
            }
        }

        return errors;
    }

    private static void Require(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }
}
