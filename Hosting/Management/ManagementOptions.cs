using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting.Management;

/// <summary>
/// The management port, bound from <c>Synapse:Management</c>: health and Prometheus metrics,
/// without authentication, for the operator's network only (never publish it). A headless silo
/// always has one (it serves nothing else over HTTP); a front end has one only when it is set, and
/// otherwise serves <c>/metrics</c> on its own port behind the admin credential. Kestrel's listen
/// addresses are chosen while the host is composed, so the port and its address are also read then
/// (<see cref="Synapse.Configuration.OptionsReader"/>), through the same check.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Synapse:Management";

    /// <summary>The Prometheus exporter's customary port, a silo's default.</summary>
    public const int DefaultSiloPort = 9464;

    [Range(1, 65535, ErrorMessage = "must be a TCP port (1-65535).")]
    public int? Port { get; set; }

    /// <summary>
    /// The IP address the management port listens on. Unset, a silo's listens on every interface
    /// (it is a silo's only HTTP port), and a front end's on localhost, as its API does by default:
    /// <c>/metrics</c> names keys and teams, and a front end started on a workstation should not
    /// offer them to the network. <c>0.0.0.0</c> opens it to every interface (the image and compose
    /// set it, for a Prometheus in another container), <c>127.0.0.1</c> keeps it to this machine,
    /// an interface's own address to that network. A front end without <see cref="Port"/> has no
    /// management port, and ignores it.
    /// </summary>
    [ListenAddress]
    public string? Address { get; set; }

    /// <summary>The Kestrel URL of a silo's management port, on <paramref name="port"/>: unset, every interface.</summary>
    public string ListenUrl(int port) => ListenAddress.HttpUrl(Address, port);

    /// <summary>
    /// The Kestrel URL of a front end's management port: unset, localhost (both loopbacks, as the
    /// API's default <c>http://localhost:8080</c>), where the <c>health</c> command asks too.
    /// </summary>
    public string FrontEndListenUrl(int port) => string.IsNullOrEmpty(Address)
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://localhost:{port}")
        : ListenUrl(port);
}
