using System.Net;
using Microsoft.Extensions.Configuration;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Hosting.Management;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The addresses an operator keeps the unauthenticated ports to (<c>Synapse:Management:Address</c>,
/// <c>Synapse:Orleans:ListenAddress</c>): IP literals only, refused at start otherwise with one line
/// naming the key, and turned into the URL Kestrel listens on and the address the health command dials.
/// </summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fd00::2")]
    [InlineData("::ffff:10.0.0.5")]
    public void AnIpLiteral_IsTaken(string text)
    {
        Assert.True(ListenAddress.TryParse(text, out var address));
        Assert.Equal(IPAddress.Parse(text), address);
    }

    /// <summary>Host names, and what <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone would quietly turn into another address.</summary>
    [Theory]
    [InlineData("localhost")]
    [InlineData("metrics.internal")]
    [InlineData("10")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("[::1]")]
    [InlineData("[::1]:9464")]
    [InlineData("fe80::1%eth0")]
    [InlineData(" 127.0.0.1")]
    [InlineData("")]
    public void AnythingElse_IsRefused(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out var address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData(null, "http://+:9464")]
    [InlineData("", "http://+:9464")]
    [InlineData("127.0.0.1", "http://127.0.0.1:9464")]
    [InlineData("0.0.0.0", "http://0.0.0.0:9464")]
    [InlineData("::1", "http://[::1]:9464")]
    [InlineData("::", "http://[::]:9464")]
    public void TheManagementUrl_IsOnTheAddress_EveryInterfaceWhenUnset(string? address, string url) =>
        Assert.Equal(url, new ManagementOptions { Address = address }.ListenUrl(9464));

    [Theory]
    [InlineData(null, "127.0.0.1")]
    [InlineData("0.0.0.0", "127.0.0.1")]
    [InlineData("::", "::1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("::1", "::1")]
    public void TheHealthCommand_DialsTheAddress_OrLoopbackForEveryInterface(string? address, string dialed) =>
        Assert.Equal(IPAddress.Parse(dialed), ListenAddress.Dialable(address));

    [Theory]
    [InlineData("localhost")]
    [InlineData("10.0.0.256")]
    public void ABadManagementAddress_StopsTheComposition_NamingTheKeyAndTheValue(string value)
    {
        var error = Assert.Throws<StartupConfigurationException>(() => OptionsReader.Read<ManagementOptions>(Settings("Synapse:Management:Address", value), ManagementOptions.SectionName));

        Assert.Equal($"Synapse:Management:Address must be an IP address {ListenAddress.Examples}, never a host name: '{value}' is not one.", error.Message);
    }

    [Fact]
    public void ABadOrleansListenAddress_StopsTheComposition_NamingTheKeyAndTheValue()
    {
        var error = Assert.Throws<StartupConfigurationException>(() => OptionsReader.Read<SynapseOrleansOptions>(Settings("Synapse:Orleans:ListenAddress", "silo-1"), SynapseOrleansOptions.SectionName));

        Assert.Equal($"Synapse:Orleans:ListenAddress must be an IP address {ListenAddress.Examples}, never a host name: 'silo-1' is not one.", error.Message);
    }

    [Fact]
    public void UnsetAddresses_PassTheCheck()
    {
        var empty = Settings("Synapse:Management:Port", "9464");

        Assert.Null(OptionsReader.Read<ManagementOptions>(empty, ManagementOptions.SectionName).Address);
        Assert.Null(OptionsReader.Read<SynapseOrleansOptions>(empty, SynapseOrleansOptions.SectionName).ListenAddress);
    }

    private static IConfiguration Settings(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
}
