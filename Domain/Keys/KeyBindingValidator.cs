using Synapse.Grains.Interfaces.Keys;
using Synapse.Naming;
using Synapse.Routing;

namespace Synapse.Keys;

/// <summary>Checks a requested binding against the teams and providers; returns field-level errors.</summary>
public static class KeyBindingValidator
{
    public const int MaxNameLength = 200;
    public const int MaxSystemPromptLength = 100_000;

    public static Dictionary<string, string[]> Validate(KeyBinding binding, bool teamExists, ProviderCatalog providers)
    {
        var errors = new Dictionary<string, string[]>();
        if (!teamExists)
        {
            errors["teamId"] = ["No team has this id."];
        }

        if (DisplayName.Normalize(binding.Name, MaxNameLength) != binding.Name)
        {
            errors["name"] = [$"A key needs a name of 1 to {MaxNameLength} {DisplayName.Rule}, trimmed and composed (NFC)."];
        }

        if (binding.SystemPrompt.Length > MaxSystemPromptLength)
        {
            errors["systemPrompt"] = [$"The system prompt may have at most {MaxSystemPromptLength} characters."];
        }

        ValidateModels(binding, providers, errors);
        ValidateLimits(binding.Limits, errors);
        return errors;
    }

    private static void ValidateModels(KeyBinding binding, ProviderCatalog providers, Dictionary<string, string[]> errors)
    {
        if (binding.AllowedModels.Count == 0)
        {
            errors["allowedModels"] = ["The allowlist needs at least one model."];
            return;
        }

        var problems = new List<string>();
        foreach (var model in binding.AllowedModels)
        {
            if (!providers.Serves(model))
            {
                problems.Add($"No configured provider serves the model '{model}'.");
            }
            else if (binding.Classification == DataClassification.Sensitive && !providers.ServesOnPrem(model))
            {
                problems.Add($"The model '{model}' is only served by cloud providers, and a sensitive key may only use on-prem providers.");
            }
        }

        if (binding.AllowedModels.Distinct(StringComparer.Ordinal).Count() != binding.AllowedModels.Count)
        {
            problems.Add("The allowlist names a model twice.");
        }

        if (problems.Count > 0)
        {
            errors["allowedModels"] = [.. problems];
        }
    }

    private static void ValidateLimits(KeyLimits limits, Dictionary<string, string[]> errors)
    {
        if (limits.RequestsPerMinute <= 0)
        {
            errors["limits.requestsPerMinute"] = ["Must be a positive whole number."];
        }

        if (limits.TokensPerMinute <= 0)
        {
            errors["limits.tokensPerMinute"] = ["Must be a positive whole number."];
        }

        if (limits.MaxConcurrentRequests <= 0)
        {
            errors["limits.maxConcurrentRequests"] = ["Must be a positive whole number."];
        }

        if (limits.MaxOutputTokens is <= 0)
        {
            errors["limits.maxOutputTokens"] = ["When given, must be a positive whole number."];
        }

        if (limits.MaxChoices is <= 0)
        {
            errors["limits.maxChoices"] = ["When given, must be a positive whole number."];
        }
    }
}
