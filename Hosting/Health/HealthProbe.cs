using System.Net;
using Microsoft.Extensions.Configuration;
using Synapse.Configuration;

namespace Synapse.Hosting.Health;

/// <summary>
/// The <c>health</c> command of both executables: asks the running process on this machine for
/// <c>/healthz/ready</c> and exits 0 when it is ready, 1 when not. Container images without curl
/// use it as their healthcheck (<c>/app/Synapse.Silo health</c>).
/// </summary>
public static class HealthProbe
{
    public const string Command = "health";

    public static bool IsHealthCommand(string[] args) => args is [Command, ..];

    /// <summary>The configuration the command reads its port from: the same sources the process itself reads.</summary>
    public static IConfiguration Configuration(string[] args) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("ASPNETCORE_")
        .AddEnvironmentVariables()
        .AddCommandLine(args.Skip(1).ToArray())
        .Build();

    /// <summary>
    /// Asks <paramref name="target"/> (on this machine: loopback, or the one address a port is kept
    /// to), read from the settings <paramref name="configuration"/> builds; a bad setting or a
    /// settings file that does not parse is one line and exit code 1, not an unhandled exception (a
    /// healthcheck must answer 0 or 1).
    /// </summary>
    public static async Task<int> RunAsync(Func<IConfiguration> configuration, Func<IConfiguration, IPEndPoint> target)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(target);
        IPEndPoint endpoint;
        try
        {
            endpoint = target(configuration());
        }
        catch (Exception e) when (e is StartupConfigurationException or InvalidDataException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://{endpoint}{HealthEndpoints.ReadyPath}"));
            Console.WriteLine(await response.Content.ReadAsStringAsync());
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"Nothing answered on {endpoint}: {e.GetType().Name}.");
            return 1;
        }
    }

    /// <summary>The port of the first <c>http</c> address in <c>urls</c> (or <c>http_ports</c>), else <paramref name="fallback"/>.</summary>
    public static int HttpPort(IConfiguration configuration, int fallback)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var url in (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            {
                return uri.Port;
            }
        }

        return int.TryParse((configuration["http_ports"] ?? string.Empty).Split(';')[0], out var port) ? port : fallback;
    }
}
