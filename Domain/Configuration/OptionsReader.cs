using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

/// <summary>
/// Reads the few settings that decide how a host is composed (which database and clustering, the
/// ports Kestrel listens on, the exporters, whether the dashboard runs), which are needed before the
/// host exists and so cannot wait for <c>ValidateOnStart</c>. Each is bound into its options type and
/// checked by the same validators the host runs at start (the data annotations, with messages naming
/// the full key, and any others given), so a wrong value stops the composition with the one line the
/// start-up check would print.
/// </summary>
public static class OptionsReader
{
    /// <summary>
    /// <paramref name="sectionName"/> bound into a new <typeparamref name="TOptions"/>, checked by its
    /// data annotations and <paramref name="validators"/>; throws <see cref="StartupConfigurationException"/>
    /// with every problem on one line.
    /// </summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string sectionName, params IValidateOptions<TOptions>[] validators)
        where TOptions : class, new() =>
        ReadOnly(configuration, sectionName, [new AnnotatedOptionsValidator<TOptions>(sectionName), new SettingsSpellingValidator<TOptions>(configuration, sectionName), .. validators]);

    /// <summary>
    /// <paramref name="sectionName"/> bound into a new <typeparamref name="TOptions"/>, checked by
    /// <paramref name="validators"/> alone: for a setting read early out of a class whose other
    /// settings are checked at start.
    /// </summary>
    public static TOptions ReadOnly<TOptions>(IConfiguration configuration, string sectionName, params IValidateOptions<TOptions>[] validators)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validators);
        var options = new TOptions();
        try
        {
            configuration.GetSection(sectionName).Bind(options);
        }
        catch (InvalidOperationException e) when (ConversionFailure.Describe(e) is { } problem)
        {
            throw new StartupConfigurationException(problem);
        }
        catch (InvalidOperationException) when (UnknownSettingsValidator.SubKeysOfSingleValues(configuration.GetSection(sectionName), typeof(TOptions)) is { Count: > 0 } problems)
        {
            throw new StartupConfigurationException(ProblemLine.Join(problems));
        }

        var failures = validators.Select(v => v.Validate(Options.DefaultName, options)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        if (failures.Count > 0)
        {
            throw new StartupConfigurationException(ProblemLine.Join(failures));
        }

        return options;
    }
}
