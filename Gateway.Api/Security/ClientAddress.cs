namespace Synapse.Gateway.Security;

internal static class ClientAddress
{
    /// <summary>The TCP peer's address as text (IPv4-mapped IPv6 shown as IPv4), or <c>unknown</c>.</summary>
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>The <c>User-Agent</c>, cut to what an audit field holds and without control characters.</summary>
    public static string? UserAgent(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        if (agent.Length == 0)
        {
            return null;
        }

        var clean = new string([.. agent.Where(c => !char.IsControl(c)).Take(256)]);
        return clean.Length == 0 ? null : clean;
    }
}
