using Microsoft.Extensions.Options;

namespace Synapse.Gateway.OpenAi;

/// <summary>Checks <see cref="ClientCorsOptions"/> at start; each message names the setting.</summary>
internal sealed class ClientCorsOptionsValidator : IValidateOptions<ClientCorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCorsOptions options)
    {
        var key = ClientCorsOptions.SectionName + ":AllowedOrigins";
        var errors = new List<string>();
        var origins = options.AllowedOrigins;
        if (origins.Contains("*") && origins.Length > 1)
        {
            errors.Add($"{key}: \"*\" allows every origin and must be the only entry.");
        }

        foreach (var origin in origins.Where(o => o != "*"))
        {
            // An origin is a scheme, a host and an optional port: what a browser sends in Origin.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
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
