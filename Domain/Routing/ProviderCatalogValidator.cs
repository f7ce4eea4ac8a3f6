using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Synapse.Routing;

/// <summary>
/// Checks every configured provider at start, as bound and as configured (a list given as one
/// value); each message names the key, never a URL's secret or an API key.
/// </summary>
internal sealed class ProviderCatalogValidator(IConfiguration configuration) : IValidateOptions<ProviderCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderCatalogOptions options)
    {
        var problems = options.SelectMany(p => ProviderCatalog.Problems(p.Key, p.Value, configuration)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
