using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting;

/// <summary>
/// Log levels that keep a busy gateway at one line per request at most at Information: the
/// framework's per-request lines (ASP.NET Core's request start and end, HttpClient's lines per
/// provider call, Polly's attempts, Orleans' chatter) start at Warning. A level configured for the
/// same category (<c>Logging:LogLevel:System.Net.Http.HttpClient</c>, …) is left to rule, and so is
/// a default level of Debug or Trace: whoever asks for everything gets everything. The health
/// checks' per-probe lines are replaced by one line per change of readiness (<c>ReadinessLog</c>).
/// </summary>
public static class LoggingDefaults
{
    private static readonly string[] QuietCategories =
        ["Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Microsoft.Extensions.Http", "Polly", "Orleans", "Microsoft.Orleans"];

    /// <summary>The health checks log an Error per failing check per probe; <c>ReadinessLog</c> writes one line per change instead.</summary>
    private const string HealthChecks = "Microsoft.Extensions.Diagnostics.HealthChecks";

    /// <param name="quietToo">
    /// More categories that start at Warning: the host's own classes that log through a framework
    /// base under their own names (an authentication handler writes "was challenged" and "was not
    /// authenticated" at Information for every request without a valid credential).
    /// </param>
    public static ILoggingBuilder AddSynapseLogDefaults(this ILoggingBuilder logging, IConfiguration configuration, params string[] quietToo)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        if (Enum.TryParse<LogLevel>(configuration["Logging:LogLevel:Default"], ignoreCase: true, out var level) && level < LogLevel.Information)
        {
            return logging;
        }

        foreach (var category in QuietCategories.Concat(quietToo))
        {
            if (string.IsNullOrEmpty(configuration[$"Logging:LogLevel:{category}"]))
            {
                logging.AddFilter(category, LogLevel.Warning);
            }
        }

        if (string.IsNullOrEmpty(configuration[$"Logging:LogLevel:{HealthChecks}"]))
        {
            logging.AddFilter(HealthChecks, LogLevel.Critical);
        }

        return logging;
    }
}
