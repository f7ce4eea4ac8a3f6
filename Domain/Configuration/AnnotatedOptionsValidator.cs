using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

/// <summary>
/// Checks an options class's data annotations (and, when they hold, its own
/// <see cref="IValidatableObject"/> rules across settings) and reports each failure as one line that
/// starts with the full configuration key (<c>Synapse:Resilience:MaxRetries must be …</c>): the stock
/// <c>ValidateDataAnnotations</c> names only the class and the property, which tells an operator
/// setting an environment variable nothing about where to look.
/// </summary>
public sealed class AnnotatedOptionsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => $"{sectionName}:{string.Join(", ", r.MemberNames)} {r.ErrorMessage}"));
    }
}
