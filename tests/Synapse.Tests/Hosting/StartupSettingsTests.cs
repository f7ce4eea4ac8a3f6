using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// A wrong setting stops the start with one line that names its key (what Program.cs prints before
/// exiting with code 2), for every options class the gateway binds; and never echoes a secret.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StartupSettingsTests
{
    private const string Provider = "Synapse:Providers:local";

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Synapse:Limits:MaxChoices", "0", "Synapse:Limits:MaxChoices must be between 1 and 128." },
        { "Synapse:Limits:MaxOutputTokens", "-5", "Synapse:Limits:MaxOutputTokens must be between 1 and 10000000." },
        { "Synapse:Limits:OutputReservation", "-1", "Synapse:Limits:OutputReservation must be between 0 and 10000000." },
        { "Synapse:Resilience:MaxRetries", "-1", "Synapse:Resilience:MaxRetries must be between 0 and 10." },
        { "Synapse:Resilience:MaxRetries", "lots", "Synapse:Resilience:MaxRetries must be a value of type Int32." },
        { "Synapse:Resilience:CircuitFailureRatio", "0", "Synapse:Resilience:CircuitFailureRatio must be more than 0 and at most 1." },
        { "Synapse:Resilience:FirstByteTimeoutSeconds", "0", "Synapse:Resilience:FirstByteTimeoutSeconds must be between 1 and 86400." },
        { "Synapse:Resilience:ConnectTimeoutSeconds", "100000", "Synapse:Resilience:ConnectTimeoutSeconds must be between 1 and 600." },
        { "Synapse:MaxRequestBytes", "0", "Synapse:MaxRequestBytes must be between 1 and 1073741824." },
        { "Synapse:Cors:AllowedOrigins:0", "https://chat.example.org/", "Synapse:Cors:AllowedOrigins: \"https://chat.example.org/\" is not an origin" },
        { "Synapse:Cors:AllowedOrigins:0", "chat.example.org", "Synapse:Cors:AllowedOrigins: \"chat.example.org\" is not an origin" },
        { "Synapse:Cors:AllowedOrigins:0", "https://Chat.Example.org:443", "is not an origin; write scheme, host and port only, as a browser sends it" },
        { "Synapse:Cors:AllowedOrigins", "https://chat.example.org", "Synapse:Cors:AllowedOrigins is a list: set Synapse:Cors:AllowedOrigins:0 (environment: Synapse__Cors__AllowedOrigins__0)" },
        { "Synapse:Cors:AllowedOrigins:0", "https://a.example.org,https://b.example.org", "Synapse:Cors:AllowedOrigins: \"https://a.example.org,https://b.example.org\" is several origins in one entry; give each its own" },
        { "Synapse:Cors:PreflightMaxAgeSeconds", "-1", "Synapse:Cors:PreflightMaxAgeSeconds must be between 0 and 86400." },
        { "Synapse:Alerts:Webhooks:ops:Events", "usage_spike", "Synapse:Alerts:Webhooks:ops:Events is a list: set Synapse:Alerts:Webhooks:ops:Events:0 (environment: Synapse__Alerts__Webhooks__ops__Events__0)" },
        { "Synapse:Admin:AllowedOrigins", "https://gw.example.org", "Synapse:Admin:AllowedOrigins is a list: set Synapse:Admin:AllowedOrigins:0 (environment: Synapse__Admin__AllowedOrigins__0)" },
        { "Synapse:Alerts:SpikeFactor", "1", "Synapse:Alerts:SpikeFactor must be greater than 1." },
        { "Synapse:Alerts:BusinessHours", "nine-to-five", "Synapse:Alerts:BusinessHours" },
        { "Synapse:Alerts:MaxAttempts", "0", "Synapse:Alerts:MaxAttempts and DeliveryBatchSize must be at least 1." },
        { "Synapse:Alerts:SignalBatchDelay", "00:00:05", "Synapse:Alerts:SignalBatchDelay must be between zero and one second." },
        { "Synapse:Audit:MaxBatchSize", "0", "Synapse:Audit:MaxBatchSize must be at least 1." },
        { "Synapse:Audit:AppendTimeout", "00:00:00", "Synapse:Audit:AppendTimeout must be a positive time span" },
        { "Synapse:Audit:DeferrableCommitDelay", "00:01:00", "Synapse:Audit:DeferrableCommitDelay must be zero or a positive time span below AppendTimeout" },
        { "Synapse:Memory:TrimAfterQuiet", "-00:00:01", "Synapse:Memory:TrimAfterQuiet must be zero (off) or a positive time span" },
        { "Synapse:Audit:CheckpointInterval", "60", "Synapse:Audit:CheckpointInterval must be a time span written with colons, e.g. 00:01:00 for a minute (a bare number is read as days)." },
        { "Synapse:Audit:CheckpointInterval", "30.00:00:00", "Synapse:Audit:CheckpointInterval must be a positive time span of at most a day" },
        { "Synapse:Memory:TrimAfterQuiet", "30", "Synapse:Memory:TrimAfterQuiet must be a time span written with colons" },
        { "Synapse:Alerts:DeliveryTimeout", "10", "Synapse:Alerts:DeliveryTimeout must be a time span written with colons" },
        { $"{Provider}:Location", "mars", $"{Provider}:Location must be 'on-prem' or 'cloud'." },
        { $"{Provider}:Type", "bogus", $"{Provider}:Type 'bogus' is not one of:" },
        { $"{Provider}:BaseUrl", "ftp://models.internal", $"{Provider}:BaseUrl must be an absolute http or https URL." },
        { $"{Provider}:TimeoutSeconds", "0", $"{Provider}:TimeoutSeconds must be positive." },
        { $"{Provider}:MaxAnswerBytes", "0", $"{Provider}:MaxAnswerBytes must be between 1 and 1073741824." },
        { $"{Provider}:MaxAnswerBytes", "2147483647", $"{Provider}:MaxAnswerBytes must be between 1 and 1073741824." },
        { $"{Provider}:Models", "gpt-4o", $"{Provider}:Models is a list: set {Provider}:Models:0 (environment: Synapse__Providers__local__Models__0)" },
        { $"{Provider}:Models:0", "gpt-4o,gpt-4o-mini", $"{Provider}:Models: \"gpt-4o,gpt-4o-mini\" is several models in one entry; give each its own: {Provider}:Models:0, {Provider}:Models:1" },
        { "Synapse:Admin:SessionIdleMinutes", "0", "Synapse:Admin:SessionIdleMinutes must be between 1 and 1440." },
        { "Synapse:Admin:SignInsPerMinute", "lots", "Synapse:Admin:SignInsPerMinute must be a value of type Int32." },
        { "Synapse:Audit:SigningKey", "not-base64!", "The audit key from Synapse:Audit:SigningKey is not valid base64." },
        { "Synapse:Audit:KeyDirectory", "{data}/keys", "Synapse:Audit:KeyDirectory must not be inside the data directory" },
        { "Synapse:Orleans:Tls:CertificatePath", "/no/such/cluster.pfx", "Synapse:Orleans:Tls:CertificatePath: no file at '/no/such/cluster.pfx'." },
    };

    /// <summary>The settings a host is composed with, read before it exists, through the same checks.</summary>
    public static TheoryData<string, string, string> BadCompositionSettings => new()
    {
        { "Synapse:Orleans:ResponseTimeoutSeconds", "1", "Synapse:Orleans:ResponseTimeoutSeconds must be at least 5." },
        { "Synapse:Orleans:HeartbeatSeconds", "10", $"Synapse:Orleans:HeartbeatSeconds must be at least 1, and {Synapse.Requests.RequestHeartbeat.MissedBeforeSilence} of them shorter than ResponseTimeoutSeconds." },
        { "Synapse:Orleans:ConnectTimeoutSeconds", "-1", "Synapse:Orleans:ConnectTimeoutSeconds must be 0 (wait forever) or more." },
        { "Synapse:Orleans:UnavailableRetrySeconds", "-1", "Synapse:Orleans:UnavailableRetrySeconds must be 0 or more." },
        { "Synapse:Orleans:RetryAfterSeconds", "0", "Synapse:Orleans:RetryAfterSeconds must be at least 1." },
        { "Synapse:Orleans:ProbeTimeoutSeconds", "0.1", "Synapse:Orleans:ProbeTimeoutSeconds must be between 0.5 and 60." },
        { "Synapse:Orleans:GatewayListRefreshSeconds", "0", "Synapse:Orleans:GatewayListRefreshSeconds must be at least 1." },
        { "Synapse:Orleans:SiloPort", "many", "Synapse:Orleans:SiloPort must be a value of type Int32." },
        { "Synapse:Orleans:SiloPort", "99999", "Synapse:Orleans:SiloPort must be a TCP port (1-65535)." },
        { "Synapse:Orleans:GatewayPort", "0", "Synapse:Orleans:GatewayPort must be a TCP port (1-65535)." },
        { "urls", "http://127.0.0.1:99999", "urls: 'http://127.0.0.1:99999' has a port outside 0-65535" },
        { "urls", "http://127.0.0.1:8080;localhost", "urls: 'localhost' is not an address" },
        { "pathbase", "gw", "pathbase must start with '/': 'gw' is not a path prefix" },
        { "Synapse:Management:Port", "70000", "Synapse:Management:Port must be a TCP port (1-65535)." },
        { "Synapse:Management:Address", "localhost", "Synapse:Management:Address must be an IP address such as 127.0.0.1, 10.0.0.5 or ::1 (0.0.0.0 or :: for every interface), never a host name: 'localhost' is not one." },
        { "Synapse:Orleans:ListenAddress", "silo-1.internal", "Synapse:Orleans:ListenAddress must be an IP address such as 127.0.0.1, 10.0.0.5 or ::1 (0.0.0.0 or :: for every interface), never a host name: 'silo-1.internal' is not one." },
        { "Synapse:Shutdown:GracePeriodSeconds", "0", "Synapse:Shutdown:GracePeriodSeconds must be at least 1." },
        { "Synapse:Shutdown:SiloStopReserveSeconds", "25", "Synapse:Shutdown:SiloStopReserveSeconds must be at least 1 and below GracePeriodSeconds." },
        { "Synapse:Shutdown:DrainDelaySeconds", "-1", "Synapse:Shutdown:DrainDelaySeconds must be between 0 and 300." },
        { "Synapse:Shutdown:DrainDelaySeconds", "301", "Synapse:Shutdown:DrainDelaySeconds must be between 0 and 300." },
        { "Synapse:Telemetry:FrameworkSeriesLimit", "5", "Synapse:Telemetry:FrameworkSeriesLimit must be between 10 and 100000." },
        { "Synapse:Telemetry:OtlpProtocol", "udp", "Synapse:Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf'." },
        { "Synapse:Telemetry:OtlpEndpoint", "ftp://collector:4317", "Synapse:Telemetry:OtlpEndpoint must be an absolute http or https URL." },
        { "ConnectionStrings:Postgres", "Host=db;Password=hunter2;Flavour=strawberry", "ConnectionStrings:Postgres is not a valid PostgreSQL connection string." },
        { "Synapse:SecretsDirectory", "/no/such/secrets", "Synapse:SecretsDirectory '/no/such/secrets' does not exist." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task ABadSetting_StopsTheStart_WithOneLineNamingTheKey(string key, string value, string expected)
    {
        var settings = ValidProvider();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        settings[key] = value.Replace("{data}", dataDirectory, StringComparison.Ordinal);

        await using var app = GatewayHost.Build(settings, dataDirectory);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.Contains(expected, problems, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problems);

        // The host itself refuses to start on the same check (a test host that skips Program.cs).
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
    }

    [Theory]
    [MemberData(nameof(BadCompositionSettings))]
    public void ABadSettingTheHostIsComposedWith_StopsTheComposition_WithOneLineNamingTheKey(string key, string value, string expected)
    {
        var settings = ValidProvider();
        settings[key] = value;

        // What Program.cs prints before exiting with code 2, and what the test host meets too.
        var error = Assert.Throws<StartupConfigurationException>(() => GatewayHost.Build(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneOrleansPortForSilosAndClients_StopsTheComposition()
    {
        var settings = ValidProvider();
        settings["Synapse:Orleans:SiloPort"] = settings["Synapse:Orleans:GatewayPort"] = "41234";

        var error = Assert.Throws<StartupConfigurationException>(() => GatewayHost.Build(settings));

        Assert.Equal("Synapse:Orleans:GatewayPort must be another port than SiloPort (silos and clients cannot share one).", error.Message);
    }

    /// <summary>
    /// A failed guess never locks the admin token out, so only its strength stops guessing: a
    /// short token, or a long one of few different characters, stops the start (before: a
    /// 16-character token was taken, and any 16 characters did).
    /// </summary>
    [Theory]
    [InlineData("hunter2-admin")]
    [InlineData("hunter2-admin-0123456789")]
    [InlineData("hunter2hunter2hunter2hunter2hunter2")]
    [InlineData("00000000000000000000000000000000000000000000")]
    public async Task AWeakAdminToken_IsNamed_ButNotShown(string token)
    {
        var settings = ValidProvider();
        settings["Synapse:Admin:Token"] = token;

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.Equal("Synapse:Admin:Token must have at least 32 characters, at least 8 of them different (a random string: openssl rand -hex 32).", problems);
        Assert.DoesNotContain("hunter2", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARandomAdminToken_IsTaken()
    {
        var settings = ValidProvider();
        settings["Synapse:Admin:Token"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

        await using var app = GatewayHost.Build(settings);

        Assert.Null(StartupValidation.Problems(app.Services));
    }

    [Fact]
    public async Task AProviderWithoutALocation_StopsTheStart_InsteadOfBeingTakenForOnPrem()
    {
        var settings = ValidProvider();
        settings.Remove($"{Provider}:Location");
        settings[$"{Provider}:Type"] = "anthropic";

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.Equal($"{Provider}:Location is required: 'on-prem' or 'cloud' (sensitive keys only reach on-prem providers, so it is never assumed).", problems);
    }

    /// <summary><c>Synapse__Providers__local__Models=gpt-4o</c>: the binder ignores a value at a list's own key.</summary>
    [Fact]
    public async Task ModelsGivenAsOnePlainValue_SaysItIsAList_InsteadOfThatNoModelIsNamed()
    {
        var settings = ValidProvider();
        settings.Remove($"{Provider}:Models:0");
        settings[$"{Provider}:Models"] = "gpt-4o";

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.Equal($"{Provider}:Models is a list: set {Provider}:Models:0 (environment: Synapse__Providers__local__Models__0), then {Provider}:Models:1 and so on, one entry each.", problems);
    }

    [Fact]
    public async Task ValidSettings_PassTheStartupCheck()
    {
        await using var app = GatewayHost.Build(ValidProvider());

        Assert.Null(StartupValidation.Problems(app.Services));
    }

    [Fact]
    public async Task AWebhookSecretTooShort_IsNamed_ButNotShown()
    {
        var settings = ValidProvider();
        settings["Synapse:Alerts:Webhooks:ops:Url"] = "https://hooks.example.com/synapse";
        settings["Synapse:Alerts:Webhooks:ops:Secret"] = "hunter2-secret";

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.Contains("Synapse:Alerts:Webhooks:ops:Secret must have at least 16 characters.", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValueOfTheWrongType_IsNamedByItsKey_ButNotEchoed()
    {
        var settings = ValidProvider();
        settings["Synapse:Limits:MaxChoices"] = "sk-live-not-a-number";

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.Equal("Synapse:Limits:MaxChoices must be a value of type Int32.", problems);
        Assert.DoesNotContain("sk-live-not-a-number", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralBadSettings_AreAllNamed_OnOneLine()
    {
        var settings = ValidProvider();
        settings["Synapse:Limits:MaxChoices"] = "0";
        settings["Synapse:Resilience:MaxRetries"] = "-1";
        settings[$"{Provider}:Location"] = "mars";

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.DoesNotContain('\n', problems);
        Assert.Contains("Synapse:Limits:MaxChoices", problems, StringComparison.Ordinal);
        Assert.Contains("Synapse:Resilience:MaxRetries", problems, StringComparison.Ordinal);
        Assert.Contains($"{Provider}:Location", problems, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster", "Synapse:Mode must be 'all-in-one' or 'client'")]
    [InlineData("client", "Synapse:Mode=client joins a cluster, which keeps its state in PostgreSQL: set ConnectionStrings:Postgres.")]
    public void AnUnusableMode_StopsTheComposition_NamingTheKey(string mode, string expected)
    {
        var settings = ValidProvider();
        settings["Synapse:Mode"] = mode;

        var error = Assert.Throws<StartupConfigurationException>(() => GatewayHost.Build(settings));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ValidProvider() =>
        GatewayHost.Provider("local", new Uri("http://127.0.0.1:9/v1"), "on-prem", "llama3");
}
