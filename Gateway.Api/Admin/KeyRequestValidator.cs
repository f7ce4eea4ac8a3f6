using Synapse.Grains.Interfaces.Keys;
using Synapse.Keys;
using Synapse.Naming;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Checks the shape of a key request. What needs the cluster's knowledge (the team exists, the
/// models are served, a sensitive key has an on-prem route) is checked by the key registry.
/// </summary>
internal static class KeyRequestValidator
{
    /// <param name="now">The present, which an expiry must be after.</param>
    public static (KeyBinding? Binding, Dictionary<string, string[]> Errors) ToBinding(CreateKeyRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.TeamId))
        {
            errors["teamId"] = ["Required."];
        }

        var name = DisplayName.Normalize(request.Name, KeyBindingValidator.MaxNameLength);
        if (name is null)
        {
            errors["name"] = [$"Required: 1 to {KeyBindingValidator.MaxNameLength} {DisplayName.Rule}."];
        }

        if (request.AllowedModels is null)
        {
            errors["allowedModels"] = ["Required: the models this key may use."];
        }
        else if (request.AllowedModels.Any(string.IsNullOrWhiteSpace))
        {
            errors["allowedModels"] = ["Model names may not be empty."];
        }

        var classification = Classifications.Parse(request.Classification);
        if (classification is null)
        {
            errors["classification"] = [$"Required: '{Classifications.Sensitive}' or '{Classifications.NonSensitive}'."];
        }

        var systemMessages = ClientSystemMessagesWire.Parse(request.ClientSystemMessages);
        if (systemMessages is null)
        {
            errors["clientSystemMessages"] = ["One of 'demote' (the default), 'drop' or 'refuse'."];
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors["expiresAt"] = ["When given: a moment in the future, with its offset (2027-03-31T23:59:59Z)."];
        }

        if (request.Limits is null)
        {
            errors["limits"] = ["Required: requestsPerMinute, tokensPerMinute and maxConcurrentRequests."];
        }
        else
        {
            foreach (var (field, messages) in ValidateLimits(request.Limits, "limits."))
            {
                errors[field] = messages;
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var limits = request.Limits!.ToLimits();
        var dlp = request.Dlp is { Count: > 0 } overrides ? new Dictionary<string, string>(overrides, StringComparer.Ordinal) : null;
        var binding = new KeyBinding(request.TeamId!, name!, request.SystemPrompt ?? string.Empty, [.. request.AllowedModels!], classification!.Value, limits, dlp, systemMessages!.Value, request.ExpiresAt?.ToUniversalTime());
        return (binding, errors);
    }

    public static Dictionary<string, string[]> ValidateLimits(LimitsRequest limits, string prefix)
    {
        var errors = new Dictionary<string, string[]>();
        RequirePositive(limits.RequestsPerMinute, prefix + "requestsPerMinute", errors);
        RequirePositive(limits.TokensPerMinute, prefix + "tokensPerMinute", errors);
        RequirePositive(limits.MaxConcurrentRequests, prefix + "maxConcurrentRequests", errors);
        OptionalPositive(limits.MaxOutputTokens, prefix + "maxOutputTokens", errors);
        OptionalPositive(limits.MaxChoices, prefix + "maxChoices", errors);
        return errors;
    }

    private static void OptionalPositive(int? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is not null and not > 0)
        {
            errors[field] = ["When given: a positive whole number (leave it out for the gateway's default)."];
        }
    }

    private static void RequirePositive(int? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is not > 0)
        {
            errors[field] = ["Required: a positive whole number."];
        }
    }
}
