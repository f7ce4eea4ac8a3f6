using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Synapse.Requests;

namespace Synapse.Hosting;

/// <summary>
/// Cluster identity, endpoints and failure handling, bound from <c>Synapse:Orleans</c> and checked
/// at start (<see cref="Validate"/>); Orleans' own options are configured from it
/// (<see cref="SynapseOrleansServiceCollectionExtensions"/>).
/// </summary>
public sealed class SynapseOrleansOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Orleans";

    public string ClusterId { get; set; } = "synapse";

    public string ServiceId { get; set; } = "synapse";

    [Range(1, 65535, ErrorMessage = "must be a TCP port (1-65535).")]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535, ErrorMessage = "must be a TCP port (1-65535).")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients use to reach this silo: an IP, a host name, or
    /// <c>auto</c> for this machine's host name (what a container behind compose wants).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The IP address a clustered silo's <see cref="SiloPort"/> and <see cref="GatewayPort"/>
    /// listen on; unset, every IPv4 interface (a container's address is not known in advance).
    /// An interface's own address keeps the ports to that network; <see cref="AdvertisedAddress"/>
    /// must still be one that other silos and front ends reach it by. The all-in-one silo listens
    /// on loopback whatever this says.
    /// </summary>
    [ListenAddress]
    public string? ListenAddress { get; set; }

    /// <summary>
    /// How long any grain call may take to answer (Orleans' own default). A key grain answers
    /// within a heartbeat whatever the model does (<see cref="HeartbeatSeconds"/>), so this bounds
    /// the admin and audit calls; model calls are bounded by each provider's <c>TimeoutSeconds</c>.
    /// </summary>
    public int ResponseTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How often a key grain tells the front end that a request it holds is still being worked on.
    /// After six missed heartbeats the front end takes the key grain's silo for dead and sends the request once
    /// more (<see cref="ResendLostCalls"/>) or answers 503 with <c>Retry-After</c>, instead of
    /// waiting out a model's timeout for a silo that was killed.
    /// </summary>
    public int HeartbeatSeconds { get; set; } = 1;

    /// <summary>
    /// How long a client-mode front end keeps trying to reach a silo when it starts; 0 (the
    /// default) waits for as long as it takes, logging as it waits, while <c>/healthz/ready</c>
    /// says why it is not ready.
    /// </summary>
    public int ConnectTimeoutSeconds { get; set; }

    /// <summary>
    /// How long a front end keeps re-sending a request that the cluster refused without running it
    /// (its key's silo died, no gateway answered) before it answers 503 with <c>Retry-After</c>.
    /// </summary>
    public int UnavailableRetrySeconds { get; set; } = 10;

    /// <summary>
    /// Whether a front end sends a request once more when its key grain fell silent before any
    /// answer (six missed heartbeats: the grain's silo, or the one between them, died), marked
    /// <c>resent</c> in the audit log. Nothing has reached the client then; a key grain still
    /// running the first attempt joins it, but a first attempt lost with its silo may already have
    /// reached the provider, which then sees the request twice — as it would if the client retried
    /// the 503 itself (OpenAI's SDKs do). Off: such a request is answered 503 with <c>Retry-After</c>.
    /// </summary>
    public bool ResendLostCalls { get; set; } = true;

    /// <summary>The <c>Retry-After</c> a 503 <c>service_unavailable</c> carries, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// The membership probe timeout: how quickly silos notice that one of them has died (about
    /// two probe periods, then its grains are placed again on the survivors). Orleans' own default
    /// is 5 s; a lower value finds a crash sooner and costs a probe message per silo pair per period.
    /// </summary>
    public double ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>How often a front end re-reads the list of gateways (silos) from the membership table.</summary>
    public int GatewayListRefreshSeconds { get; set; } = 5;

    /// <summary>
    /// Whether the silo collects statistics for the Orleans dashboard (served at <c>/dashboard</c>).
    /// It samples silo statistics every 5 s and times grain calls only while the dashboard is open
    /// (<see cref="SiloFootprint"/>); turn it off to save its memory (about 55 MB).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>The rules across settings, each broken one a line naming its key.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        return new[]
        {
            Rule(ResponseTimeoutSeconds >= 5, nameof(ResponseTimeoutSeconds), "at least 5"),
            Rule(HeartbeatSeconds >= 1 && HeartbeatSeconds * RequestHeartbeat.MissedBeforeSilence < ResponseTimeoutSeconds, nameof(HeartbeatSeconds), $"at least 1, and {RequestHeartbeat.MissedBeforeSilence} of them shorter than ResponseTimeoutSeconds"),
            Rule(ConnectTimeoutSeconds >= 0, nameof(ConnectTimeoutSeconds), "0 (wait forever) or more"),
            Rule(UnavailableRetrySeconds >= 0, nameof(UnavailableRetrySeconds), "0 or more"),
            Rule(RetryAfterSeconds >= 1, nameof(RetryAfterSeconds), "at least 1"),
            Rule(ProbeTimeoutSeconds is >= 0.5 and <= 60, nameof(ProbeTimeoutSeconds), "between 0.5 and 60"),
            Rule(GatewayListRefreshSeconds >= 1, nameof(GatewayListRefreshSeconds), "at least 1"),
            // Orleans would listen on one port twice, for silos and for clients, and the kernel would deal connections between the two at random.
            Rule(GatewayPort != SiloPort, nameof(GatewayPort), "another port than SiloPort (silos and clients cannot share one)"),
        }.OfType<ValidationResult>();
    }

    /// <summary>The address a clustered silo listens on: <see cref="ListenAddress"/>, else every IPv4 interface.</summary>
    public IPAddress ResolveListenAddress() => Hosting.ListenAddress.Parse(ListenAddress) ?? IPAddress.Any;

    public IPAddress ResolveAdvertisedAddress()
    {
        if (IPAddress.TryParse(AdvertisedAddress, out var ip))
        {
            return ip;
        }

        var host = string.Equals(AdvertisedAddress, "auto", StringComparison.OrdinalIgnoreCase) ? Dns.GetHostName() : AdvertisedAddress;
        return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"{SectionName}:AdvertisedAddress '{AdvertisedAddress}' does not resolve to an IPv4 address.");
    }

    private static ValidationResult? Rule(bool valid, string key, string rule) =>
        valid ? null : new ValidationResult($"must be {rule}.", [key]);
}
