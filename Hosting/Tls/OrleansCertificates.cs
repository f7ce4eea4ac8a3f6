using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Synapse.Configuration;

namespace Synapse.Hosting.Tls;

/// <summary>Loads the files named by <see cref="OrleansTlsOptions"/>; every failure names the setting, never a password.</summary>
public static class OrleansCertificates
{
    public static X509Certificate2 LoadOwn(OrleansTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath!;
        var setting = $"{OrleansTlsOptions.SectionName}:CertificatePath";
        if (!File.Exists(path))
        {
            throw new StartupConfigurationException($"{setting}: no file at '{path}'.");
        }

        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password, X509KeyStorageFlags.EphemeralKeySet)
                : string.IsNullOrEmpty(options.Password)
                    ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, options.KeyPath);
        }
        catch (CryptographicException e)
        {
            throw new StartupConfigurationException($"{setting}: the certificate or its key could not be read ({e.GetType().Name}); check the file, {OrleansTlsOptions.SectionName}:KeyPath and :Password.", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupConfigurationException($"{setting}: the certificate has no private key; give a PKCS#12 file or set {OrleansTlsOptions.SectionName}:KeyPath.");
        }

        return certificate;
    }

    public static X509Certificate2? LoadAuthority(OrleansTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CaCertificatePath))
        {
            return null;
        }

        var setting = $"{OrleansTlsOptions.SectionName}:CaCertificatePath";
        if (!File.Exists(options.CaCertificatePath))
        {
            throw new StartupConfigurationException($"{setting}: no file at '{options.CaCertificatePath}'.");
        }

        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
        }
        catch (CryptographicException e)
        {
            throw new StartupConfigurationException($"{setting}: the CA certificate could not be read ({e.GetType().Name}).", e);
        }
    }
}
