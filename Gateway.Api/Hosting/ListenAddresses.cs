using Synapse.Configuration;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// ASP.NET Core's own <c>urls</c> setting (also <c>ASPNETCORE_URLS</c> and <c>--urls</c>), checked
/// while the host is composed: Kestrel reads it only as it starts listening, and a port out of
/// range or an address it cannot parse ends the start with its own exception ("Specified argument
/// was out of the range of valid values"), which names neither the setting nor the value.
/// </summary>
internal static class ListenAddresses
{
    private const string Setting = "urls";

    /// <summary>Throws <see cref="StartupConfigurationException"/> naming the first address Kestrel could not listen on.</summary>
    public static void Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var address in (configuration[Setting] ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Problem(address) is { } problem)
            {
                throw new StartupConfigurationException($"{Setting}: '{address}' {problem}; give addresses as http://host:port, separated by ';'.");
            }
        }
    }

    private static string? Problem(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return "is not an address";
        }

        return parsed.IsUnixPipe || parsed.IsNamedPipe || parsed.Port is >= 0 and <= 65535 ? null : "has a port outside 0-65535";
    }
}
