
namespace Synapse.Alerts.Delivery;

/// <summary>A webhook host resolved to (or is) a refused address; the connection is never opened.</summary>
public sealed class WebhookTargetRefusedException : IOException
{
    public WebhookTargetRefusedException()
        : base("The webhook target is a link-local or cloud metadata address, which is refused.")
    {
    }

    public WebhookTargetRefusedException(string message)
        : base(message)
    {
    }

    public WebhookTargetRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
