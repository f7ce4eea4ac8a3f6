using Microsoft.Extensions.Configuration;
using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// Settings read from files, one per key (Docker and Kubernetes secrets): a file named
/// <c>Synapse__Audit__HashKey</c> holds <c>Synapse:Audit:HashKey</c>. The directory is
/// <c>Synapse:SecretsDirectory</c>, or <c>/run/secrets</c> when it exists. They override
/// environment variables, so a secret never has to sit in the environment.
/// </summary>
public static class SecretFiles
{
    public const string DirectoryKey = "Synapse:SecretsDirectory";
    public const string DefaultDirectory = "/run/secrets";

    public static IConfigurationManager AddSynapseSecretFiles(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = configuration[DirectoryKey] is { Length: > 0 } configured ? configured : DefaultDirectory;
        if (Directory.Exists(directory))
        {
            configuration.AddKeyPerFile(Path.GetFullPath(directory), optional: true);
        }
        else if (configuration[DirectoryKey] is { Length: > 0 })
        {
            throw new StartupConfigurationException($"{DirectoryKey} '{directory}' does not exist.");
        }

        return configuration;
    }
}
