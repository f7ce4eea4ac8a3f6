using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Hosting.Tls;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Synapse.Tests.Storage.Grains;

namespace Synapse.Tests.Cluster;

/// <summary>
/// With <c>Synapse:Orleans:Tls</c> set, silos talk to each other and to front ends over mutual
/// TLS: a second silo joins and a client with the cluster's certificate calls grains, while a
/// client with another certificate, or without TLS, cannot join, and the ports refuse a TLS
/// handshake with a stranger's certificate.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OrleansTlsTests(OrleansTlsTests.TlsCluster cluster) : IClassFixture<OrleansTlsTests.TlsCluster>
{
    private const string Password = "test-pfx-password";

    /// <summary>Two silos with TLS on the cluster certificate, shared by the tests.</summary>
    public sealed class TlsCluster : IAsyncLifetime
    {
        private readonly List<IHost> _hosts = [];

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "synapse-tls-" + Guid.NewGuid().ToString("N"));

        public X509Certificate2 Certificate { get; } = TestCertificates.SelfSigned("synapse-cluster");

        public string CertificatePath { get; private set; } = null!;

        public int SiloPort { get; } = FreePort.Next();

        public int GatewayPort { get; } = FreePort.Next();

        public async Task InitializeAsync()
        {
            System.IO.Directory.CreateDirectory(Directory);
            CertificatePath = TestCertificates.WritePfx(Certificate, Directory, Password);
            _hosts.Add(await StartSiloAsync(SiloPort, GatewayPort, primary: null, CertificatePath));
            _hosts.Add(await StartSiloAsync(FreePort.Next(), FreePort.Next(), primary: SiloPort, CertificatePath));
        }

        public async Task DisposeAsync()
        {
            foreach (var host in Enumerable.Reverse(_hosts))
            {
                await host.StopAsync(TimeSpan.FromSeconds(5));
                host.Dispose();
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    [Fact]
    public async Task SilosJoinEachOther_AndAClientWithTheClusterCertificateCallsGrains()
    {
        using var client = await StartClientAsync(cluster.CertificatePath);
        var grains = client.Services.GetRequiredService<IClusterClient>();

        var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var snapshot = await grains.GetGrain<IStateProbeGrain>("tls-" + Guid.NewGuid().ToString("N")).SetAsync("over tls", 1);

        Assert.Equal(2, silos.Count);
        Assert.Equal("over tls", snapshot.Text);
        await client.StopAsync();
    }

    [Fact]
    public async Task AClientWithAnotherCertificate_CannotJoin()
    {
        var stranger = TestCertificates.WritePfx(TestCertificates.SelfSigned("synapse-cluster"), cluster.Directory, Password);

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => (await StartClientAsync(stranger)).Dispose());

        Assert.IsNotType<OperationCanceledException>(refused, exactMatch: false);
    }

    [Fact]
    public async Task AClientWithoutTls_CannotJoin()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => (await StartClientAsync(certificatePath: null)).Dispose());

        Assert.IsNotType<OperationCanceledException>(refused, exactMatch: false);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThePortsSpeakMutualTls_AndAcceptOnlyTheClusterCertificate(bool gatewayPort)
    {
        var port = gatewayPort ? cluster.GatewayPort : cluster.SiloPort;

        Assert.True(await HandshakeAsync(port, cluster.Certificate));
        Assert.False(await HandshakeAsync(port, TestCertificates.SelfSigned("synapse-cluster")));
    }

    private async Task<bool> HandshakeAsync(int port, X509Certificate2 certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, server, _, _) => server is not null && server.GetCertHashString() == cluster.Certificate.GetCertHashString());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "synapse-cluster", ClientCertificates = [certificate] });

            // TLS 1.3 sends the server's verdict on a client certificate after the handshake: read to see it.
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var buffer = new byte[1];
            try
            {
                // Data means the connection lives; the end of the stream means it was dropped.
                return await tls.ReadAsync(buffer, cancel.Token) > 0;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private static async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort, int? primary, string certificatePath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Tls(certificatePath));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary is { } p ? new IPEndPoint(IPAddress.Loopback, p) : null);
            silo.AddMemoryGrainStorage(SynapseStorage.Name);
            silo.UseSynapseTls(builder.Configuration);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task<IHost> StartClientAsync(string? certificatePath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(certificatePath is null ? [] : Tls(certificatePath));
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(cluster.GatewayPort);
            client.UseSynapseTls(builder.Configuration);

            // One attempt: a refused client fails at once with the connection's own error.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
        });
        var host = builder.Build();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(cancel.Token);
        return host;
    }

    private static Dictionary<string, string?> Tls(string certificatePath) => new()
    {
        [$"{OrleansTlsOptions.SectionName}:CertificatePath"] = certificatePath,
        [$"{OrleansTlsOptions.SectionName}:Password"] = Password,
    };
}
