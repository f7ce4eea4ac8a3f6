using Orleans.Runtime.Messaging;

namespace Synapse.Gateway.OpenAi;

/// <summary>Which exceptions from a grain call mean the cluster, not the request, failed.</summary>
internal static class ClusterFailures
{
    /// <summary>The cluster did not answer: a silo died or is unreachable, no gateway is connected, the call timed out.</summary>
    public static bool IsUnavailable(Exception exception) => exception is
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException
        or TimeoutException or EnumerationAbortedException or ClientNotAvailableException;

    /// <summary>
    /// The call certainly never ran: the runtime refused it before delivering it (a rejection —
    /// the target silo is unreachable or was declared dead, no gateway answered). Sending it again
    /// cannot make a provider see a request twice. A timeout is never this: the call may have run.
    /// </summary>
    public static bool NeverDelivered(Exception exception) => exception is
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException;
}
