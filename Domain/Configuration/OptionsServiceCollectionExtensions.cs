using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

public static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> once from <paramref name="sectionName"/>, checks its
    /// data annotations with messages that name the full key (<see cref="AnnotatedOptionsValidator{TOptions}"/>),
    /// what the binder would misread (<see cref="SettingsSpellingValidator{TOptions}"/>: a list given
    /// one plain value, a time span as a bare number) and any other
    /// <see cref="IValidateOptions{TOptions}"/> registered for it, all when the host starts; and
    /// registers the validated value itself for the classes that take it directly. Every key under
    /// <c>Synapse</c> must be read by a class bound this way (<see cref="UnknownSettingsValidator"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddSynapseOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is AnnotatedOptionsValidator<TOptions>))
        {
            // Composed twice (a silo and a front end in one process): bound once all the same.
            return services.AddOptions<TOptions>();
        }

        Bound(services, configuration).Add(sectionName, typeof(TOptions));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new AnnotatedOptionsValidator<TOptions>(sectionName)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SettingsSpellingValidator<TOptions>(configuration, sectionName)));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
    }

    /// <summary>This host's <see cref="BoundSettings"/>, and the check of every key under <c>Synapse</c> against them, added once.</summary>
    private static BoundSettings Bound(IServiceCollection services, IConfiguration configuration)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(BoundSettings))?.ImplementationInstance is BoundSettings bound)
        {
            return bound;
        }

        bound = new BoundSettings();
        services.AddSingleton(bound);
        services.AddSingleton<IValidateOptions<SettingKeys>>(new UnknownSettingsValidator(configuration, bound));
        services.AddOptions<SettingKeys>().ValidateOnStart();
        return bound;
    }
}
