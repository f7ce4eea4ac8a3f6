namespace Synapse.Gateway.Hosting;

public static class GatewayModes
{
    public const string AllInOne = "all-in-one";
    public const string Client = "client";
}
