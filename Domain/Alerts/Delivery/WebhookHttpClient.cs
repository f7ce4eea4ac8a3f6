using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Synapse.Alerts.Delivery;

/// <summary>
/// The named HttpClient webhooks are posted with: no redirects (a 3xx is a failed attempt), no
/// proxy (a proxy would dial the target itself, past the connect-time check), no cookies, and
/// <see cref="WebhookConnector"/> as the only way to open a connection.
/// </summary>
public static class WebhookHttpClient
{
    public const string Name = "synapse-alert-webhooks";

    public static IServiceCollection AddWebhookHttpClient(this IServiceCollection services)
    {
        services.TryAddSingleton(new WebhookConnector());
        services.AddHttpClient(Name, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(provider.GetRequiredService<WebhookConnector>(), provider.GetRequiredService<AlertOptions>()));
        return services;
    }

    public static SocketsHttpHandler CreateHandler(WebhookConnector connector, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.DeliveryTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = connector.ConnectAsync,
        };
    }
}
