using Microsoft.Extensions.Options;
using Synapse.Configuration;

namespace Synapse.Gateway.OpenAi;

/// <summary>Checks <see cref="ClientCorsOptions"/> at start, as bound and as configured (a list given as one value); each message names the setting.</summary>
internal sealed class ClientCorsOptionsValidator(IConfiguration configuration) : IValidateOptions<ClientCorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCorsOptions options)
    {
        var key = ClientCorsOptions.SectionName + ":AllowedOrigins";
        var errors = new List<string>();
        if (ListSettings.PlainValueProblem(configuration, key) is { } plainValue)
        {
            errors.Add(plainValue);
        }

        var origins = options.AllowedOrigins;
        if (origins.Contains("*") && origins.Length > 1)
        {
            errors.Add($"{key}: \"*\" allows every origin and must be the only entry.");
        }

        foreach (var origin in origins.Where(o => o != "*"))
        {
            // An origin is a scheme, a host and an optional port: what a browser sends in Origin.
            if (origin.Contains(',', StringComparison.Ordinal))
            {
                errors.Add(ListSettings.SeveralInOneEntry(key, origin, "origins"));
            }
            else if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add($"{key}: \"{origin}\" is not an origin; write scheme, host and port only, as a browser sends it (https://chat.example.org, http://localhost:3000).");
            }
        }

        if (options.PreflightMaxAgeSeconds is < 0 or > 86_400)
        {
            errors.Add($"{ClientCorsOptions.SectionName}:PreflightMaxAgeSeconds must be between 0 and 86400.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
