using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Synapse.Hosting.Tls;

/// <summary>
/// Turns on mutual TLS for the Orleans network when <c>Synapse:Orleans:Tls:CertificatePath</c> is
/// set: silo-to-silo links and the gateway port on silos, the gateway connection on front ends
/// (<c>Microsoft.Orleans.Connections.Security</c>). Without it the Orleans ports speak plain,
/// unauthenticated TCP and must only be reachable on a private network.
/// </summary>
public static class OrleansTlsExtensions
{
    public static ISiloBuilder UseSynapseTls(this ISiloBuilder silo, IConfiguration configuration) =>
        Read(configuration) is { } options ? silo.UseTls(tls => Configure(tls, options)) : silo;

    public static IClientBuilder UseSynapseTls(this IClientBuilder client, IConfiguration configuration) =>
        Read(configuration) is { } options ? client.UseTls(tls => Configure(tls, options)) : client;

    private static OrleansTlsOptions? Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansTlsOptions.SectionName).Get<OrleansTlsOptions>();
        return options is { Enabled: true } ? options : null;
    }

    private static void Configure(TlsOptions tls, OrleansTlsOptions options)
    {
        var own = OrleansCertificates.LoadOwn(options);
        var validator = new OrleansPeerValidator(own, OrleansCertificates.LoadAuthority(options));
        tls.LocalCertificate = own;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = validator.IsTrusted;
        tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = own.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, forIssuer: false) is { Length: > 0 } name ? name : "synapse";
    }
}
