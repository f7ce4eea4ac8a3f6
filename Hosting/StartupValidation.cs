using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// Runs the settings checks registered with <c>ValidateOnStart</c> before the host starts anything,
/// so that a bad setting ends the process with one line naming the key (exit code 2), not with a
/// failed start's log lines and stack trace.
/// </summary>
public static class StartupValidation
{
    /// <summary>The settings problems as one line, or null when every setting is valid.</summary>
    public static string? Problems(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            // Its Message joins the failures with "; " after their own full stops.
            return ProblemLine.Join(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            return ProblemLine.Join(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures));
        }
        catch (InvalidOperationException e) when (ConversionFailure.Describe(e) is { } problem)
        {
            return problem;
        }
        catch (InvalidOperationException) when (UnreadKeys(services) is { } problem)
        {
            // The binder threw on a key no setting reads (a text setting given sub-keys).
            return problem;
        }
    }

    private static string? UnreadKeys(IServiceProvider services)
    {
        var failures = services.GetServices<IValidateOptions<SettingKeys>>()
            .Select(v => v.Validate(Options.DefaultName, new SettingKeys()))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        return failures.Count == 0 ? null : ProblemLine.Join(failures);
    }
}
