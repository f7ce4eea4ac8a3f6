namespace Synapse.Hosting.Tls;

/// <summary>
/// TLS for the Orleans network (silo to silo, front end to silo), bound from
/// <c>Synapse:Orleans:Tls</c>. Off unless <see cref="CertificatePath"/> is set. Both ends present
/// a certificate (mutual TLS) and each accepts only peers it trusts: those chaining to
/// <see cref="CaCertificatePath"/>, or, without a CA, only peers presenting this same certificate
/// (one certificate shared by the whole cluster).
/// </summary>
public sealed class OrleansTlsOptions
{
    public const string SectionName = "Synapse:Orleans:Tls";

    /// <summary>The certificate with its private key: PKCS#12 (<c>.pfx</c>/<c>.p12</c>) or PEM (with <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when <see cref="CertificatePath"/> is PEM and the key is in a file of its own.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>A PEM or DER CA certificate; peers must chain to it. Without it, peers must present the same certificate.</summary>
    public string? CaCertificatePath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
