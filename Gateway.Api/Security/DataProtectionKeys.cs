using Microsoft.AspNetCore.DataProtection;
using Synapse.Audit;

namespace Synapse.Gateway.Security;

/// <summary>
/// Where ASP.NET Core's data protection keeps its key ring. Authentication brings data protection
/// with it, and its hosted service makes a key at the first start, although nothing of Synapse's
/// protects data with it (console sessions are random tokens kept hashed in the database, the
/// CSRF check compares a header): left to itself it writes the key to the user's
/// <c>~/.aspnet/DataProtection-Keys</c>, outside the data directory and its owner-only mode.
/// </summary>
internal static class DataProtectionKeys
{
    public const string DirectoryName = "data-protection-keys";

    /// <summary>
    /// All-in-one: the key ring in the data directory, in a directory of its own created
    /// owner-only (0700). A cluster's front ends keep the framework's default: each its own ring,
    /// which is right while nothing is protected with it (one protected value read by another front
    /// end would need a shared ring).
    /// </summary>
    public static IServiceCollection PersistDataProtectionKeysIn(this IServiceCollection services, string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, DirectoryName);
        OwnerOnlyFiles.CreateDirectory(directory);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(directory));
        return services;
    }
}
