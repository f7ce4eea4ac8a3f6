using Microsoft.Extensions.Options;

namespace Synapse.Routing;

/// <summary>Checks every configured provider at start; each message names the key, never a URL's secret or an API key.</summary>
internal sealed class ProviderCatalogValidator : IValidateOptions<ProviderCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderCatalogOptions options)
    {
        var problems = options.SelectMany(p => ProviderCatalog.Problems(p.Key, p.Value)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
