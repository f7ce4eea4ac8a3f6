using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Synapse.Hosting.Tls;

/// <summary>
/// The TLS every Orleans connection of this process uses, made once from <see cref="OrleansTlsOptions"/>:
/// this process's certificate, required of the peer too, and the peer trusted only as
/// <see cref="OrleansPeerValidator"/> decides. Null options when TLS is off.
/// </summary>
internal sealed class OrleansTls
{
    public OrleansTls(OrleansTlsOptions settings)
    {
        if (!settings.Enabled)
        {
            return;
        }

        var own = OrleansCertificates.LoadOwn(settings);
        var validator = new OrleansPeerValidator(own, OrleansCertificates.LoadAuthority(settings));
        var targetHost = own.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } name ? name : "synapse";
        Options = new TlsOptions
        {
            LocalCertificate = own,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = validator.IsTrusted,
            OnAuthenticateAsClient = (_, client) => client.TargetHost = targetHost,
        };
    }

    public TlsOptions? Options { get; }
}
