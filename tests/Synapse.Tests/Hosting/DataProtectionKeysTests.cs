using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synapse.Audit;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>The key ring that comes with authentication stays in the all-in-one data directory, not in ~/.aspnet.</summary>
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task AnAllInOneGateway_KeepsItsDataProtectionKeys_InItsDataDirectory_OwnerOnly()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var keys = Path.Combine(dataDirectory, "data-protection-keys");

        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory);

        var repository = Assert.IsType<FileSystemXmlRepository>(gateway.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.Equal(keys, repository.Directory.FullName.TrimEnd(Path.DirectorySeparatorChar));
        var key = await Eventually.ValueAsync(() => Directory.GetFiles(keys, "key-*.xml"), files => files.Length == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(OwnerOnlyFiles.DirectoryPermissions, File.GetUnixFileMode(keys));
        Assert.Equal(OwnerOnlyFiles.FilePermissions, File.GetUnixFileMode(key[0]));
    }
}
