namespace Synapse.Grains.Interfaces.Providers;

[GenerateSerializer, Alias("synapse.ProviderLocation")]
public enum ProviderLocation
{
    OnPrem = 0,
    Cloud = 1,
}
