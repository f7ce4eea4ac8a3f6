using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Synapse.Hosting.Tls;

/// <summary>
/// Decides whether a silo or front end on the other end of an Orleans connection is one of ours.
/// Host names are not checked — silos are dialled by IP and a cluster's members come and go — so
/// trust rests on the certificate alone: it must chain to the configured CA (and be within its
/// validity), or, without a CA, be exactly this process's own certificate.
/// </summary>
public sealed class OrleansPeerValidator(X509Certificate2 own, X509Certificate2? authority)
{
    private readonly byte[] _ownHash = own.GetCertHash(HashAlgorithmName.SHA256);

    public bool IsTrusted(X509Certificate2 peer, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (authority is null)
        {
            return CryptographicOperations.FixedTimeEquals(peer.GetCertHash(HashAlgorithmName.SHA256), _ownHash);
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(authority);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(peer);
    }
}
