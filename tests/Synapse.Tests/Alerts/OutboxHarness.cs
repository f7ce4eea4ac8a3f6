using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Alerts.Delivery;
using Synapse.Alerts.Outbox;
using Synapse.Hosting.Alerts;
using Synapse.Persistence.Alerts;
using Synapse.Persistence.Storage;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Alerts;

/// <summary>The outbox, sink and dispatcher on a real database, with the real webhook HttpClient and a fake clock.</summary>
internal sealed class OutboxHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OutboxHarness(SynapseDatabase database, AlertOptions options, FakeTimeProvider clock, ServiceProvider services)
    {
        Database = database;
        Options = options;
        Clock = clock;
        _services = services;
        Store = AlertStores.Create(database);
        Dispatcher = new AlertDispatcher(Store, options, services.GetRequiredService<IHttpClientFactory>(), clock, NullLogger<AlertDispatcher>.Instance);
        Sink = new AlertOutboxSink(Store, options, Dispatcher, clock);
    }

    public SynapseDatabase Database { get; }

    public AlertOptions Options { get; }

    public FakeTimeProvider Clock { get; }

    public IAlertStore Store { get; }

    public AlertDispatcher Dispatcher { get; }

    public AlertOutboxSink Sink { get; }

    public static Task<OutboxHarness> SqliteAsync(AlertOptions options, WebhookConnector? connector = null) =>
        CreateAsync(SynapseDatabase.ForSqliteFile(Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"), "synapse.db")), options, connector);

    public static async Task<OutboxHarness> CreateAsync(SynapseDatabase database, AlertOptions options, WebhookConnector? connector = null)
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var services = new ServiceCollection();
        services.AddSingleton(options);
        if (connector is not null)
        {
            services.AddSingleton(connector);
        }

        services.AddWebhookHttpClient();
        return new OutboxHarness(database, options, new FakeTimeProvider(AlertSamples.Start), services.BuildServiceProvider());
    }

    public static AlertOptions Options1(string name, Uri url, string secret, string format = WebhookOptions.JsonFormat) => new()
    {
        Webhooks = { [name] = new WebhookOptions { Url = url.ToString(), Secret = secret, Format = format } },
        MaxAttempts = 4,
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(1),
        DeliveryTimeout = TimeSpan.FromSeconds(2),
    };

    public Task PublishAsync(params AlertEvent[] alerts) => Sink.PublishAsync(alerts, CancellationToken.None);

    public static AlertEvent Alert(string type = "dlp_alert") =>
        AlertEvent.Create(type, AlertSamples.Start, "key-1", "team-1", new Dictionary<string, object> { ["requestId"] = "req-1", ["categories"] = new[] { "email" } });

    public async Task<DeliveryStatus> DeliveryAsync(Guid alertId, string webhook) =>
        (await Store.ListAsync(500, null, CancellationToken.None)).Single(l => l.Alert.Id == alertId).Deliveries.Single(d => d.Webhook == webhook);

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync();
        await _services.DisposeAsync();
    }
}
