using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// A key under <c>Synapse</c> that no setting reads stops the start and is named, with the setting
/// probably meant: the binder ignores it, so a misspelt setting silently stayed at its default.
/// Every key the README and docs name is read; a section another host reads is left to it.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class UnknownSettingsTests
{
    private const string Provider = "Synapse:Providers:local";

    public static TheoryData<string, string, string> MisspeltKeys => new()
    {
        { "Synapse:Admin:Tokn", "0123456789abcdef0123", "Synapse:Admin:Tokn is not a setting; did you mean Synapse:Admin:Token?" },
        { "Synapse:Audit:FailOpn", "true", "Synapse:Audit:FailOpn is not a setting; did you mean Synapse:Audit:FailOpen?" },
        { "Synapse:Provider:other:Type", "openai", "Synapse:Provider is not a setting; did you mean Synapse:Providers?" },
        { $"{Provider}:Model:0", "gpt-4o", $"{Provider}:Model is not a setting; did you mean {Provider}:Models?" },
        { $"{Provider}:Models:first", "gpt-4o", $"{Provider}:Models:first is not a setting: {Provider}:Models is a list, its entries are {Provider}:Models:0, {Provider}:Models:1, and so on." },
        { "Synapse:Alerts:Webhooks:ops:Secrt", "0123456789abcdef0123456789abcdef", "Synapse:Alerts:Webhooks:ops:Secrt is not a setting; did you mean Synapse:Alerts:Webhooks:ops:Secret?" },
        { "Synapse:Orleans:Tls:CertificatPath", "/x.pfx", "Synapse:Orleans:Tls:CertificatPath is not a setting; did you mean Synapse:Orleans:Tls:CertificatePath?" },
        { "Synapse:Cors:AllowedOrigin:0", "https://chat.example.org", "Synapse:Cors:AllowedOrigin is not a setting; did you mean Synapse:Cors:AllowedOrigins?" },
        { "Synapse:KeyAuthentication:FailureLimits", "5", "Synapse:KeyAuthentication:FailureLimits is not a setting; did you mean Synapse:KeyAuthentication:FailureLimit?" },
        { "Synapse:Audit:HashKey:0", "abc", "Synapse:Audit:HashKey:0 is not a setting: Synapse:Audit:HashKey is a single value." },
        { "Synapse:Shutdown:GracePeriod", "00:00:30", "Synapse:Shutdown:GracePeriod is not a setting (nothing reads it; see the configuration reference)." },
        { "Synapse:Retention:Days", "30", "Synapse:Retention is not a setting (nothing reads it; see the configuration reference)." },
    };

    [Theory]
    [MemberData(nameof(MisspeltKeys))]
    public async Task AKeyNoSettingReads_StopsTheStart_NamingIt(string key, string value, string expected)
    {
        var settings = ValidProvider();
        settings[key] = value;

        await using var app = GatewayHost.Build(settings);
        var problems = StartupValidation.Problems(app.Services);

        Assert.NotNull(problems);
        Assert.StartsWith(expected, problems, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problems);
    }

    /// <summary>
    /// A text setting given sub-keys makes the binder throw rather than ignore them; read while the
    /// host is composed, that was a stack trace instead of the line naming the key.
    /// </summary>
    [Fact]
    public void SubKeysOfATextSettingReadWhileComposing_StopTheComposition_NamingThem()
    {
        var settings = ValidProvider();
        settings["Synapse:Telemetry:ServiceName:0"] = "gateway";

        var error = Assert.Throws<StartupConfigurationException>(() => GatewayHost.Build(settings));

        Assert.Equal("Synapse:Telemetry:ServiceName:0 is not a setting: Synapse:Telemetry:ServiceName is a single value.", error.Message);
    }

    /// <summary>
    /// Environment variables come in any case; the binder matches them so, and so does the check. A
    /// provider may be named like a property of the dictionary that holds the providers.
    /// </summary>
    [Fact]
    public async Task KeysInAnotherCase_AndAProviderNamedKeys_AreRead_AndPass()
    {
        var settings = ValidProvider();
        settings["SYNAPSE:AUDIT:FAILOPEN"] = "false";
        settings["synapse:providers:local:timeoutseconds"] = "30";
        settings["Synapse:ORLEANS:TLS:CertificatePath"] = string.Empty;
        foreach (var (key, value) in GatewayHost.Provider("keys", new Uri("http://127.0.0.1:9/v1"), "on-prem", "llama3.1"))
        {
            settings[key] = value; // a provider named like a property of the dictionary that holds them
        }

        await using var app = GatewayHost.Build(settings);

        Assert.Null(StartupValidation.Problems(app.Services));
    }

    /// <summary>
    /// The configuration reference, the docs, compose and the scripts name only keys the gateway reads: each one, checked
    /// against the all-in-one gateway's settings classes (after a misspelt one proves the check runs).
    /// </summary>
    [Fact]
    public async Task EveryKeyTheDocsName_IsASetting()
    {
        await using var app = GatewayHost.Build(ValidProvider());
        var bound = app.Services.GetRequiredService<BoundSettings>();
        var keys = DocumentedKeys().ToList();
        Assert.True(keys.Count > 60, $"only {keys.Count} keys found in the docs");

        var misspelt = Check(bound, ["Synapse:Audit:CheckpointIntervall"]);
        Assert.Equal(["Synapse:Audit:CheckpointIntervall is not a setting; did you mean Synapse:Audit:CheckpointInterval?"], misspelt);

        Assert.Empty(Check(bound, keys));
    }

    /// <summary>
    /// A headless silo does not bind the front end's sections (compose gives every service the same
    /// <c>.env</c>): it leaves them to the front end, and still checks its own.
    /// </summary>
    [Fact]
    public void AHeadlessSilo_LeavesTheFrontEndsSettingsToIt_AndChecksItsOwn()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synapse:Admin:Token"] = "0123456789abcdef0123",
            ["Synapse:Mode"] = "client",
            ["Synapse:Cors:AllowedOrigins:0"] = "https://chat.example.org",
            ["Synapse:Audit:FailOpn"] = "true",
        });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        builder.AddSynapseHeadlessSilo(new SynapseDatabase(DatabaseEngine.Postgres, "Host=127.0.0.1;Port=9;Username=x;Database=x"), dataDirectory);

        var problems = StartupValidation.Problems(builder.Build().Services);

        Assert.NotNull(problems);
        Assert.Contains("Synapse:Audit:FailOpn is not a setting; did you mean Synapse:Audit:FailOpen?", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("Admin", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("Cors", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("Mode", problems, StringComparison.Ordinal);
    }

    /// <summary>Every name directly under <c>Synapse</c> that a settings class is bound from is in the list every host knows.</summary>
    [Fact]
    public void TheTopLevelList_HoldsEverySectionAHostBinds()
    {
        var sections = typeof(Synapse.Gateway.Hosting.GatewayOptions).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Synapse", StringComparison.Ordinal))
            .Select(System.Reflection.Assembly.Load)
            .Append(typeof(Synapse.Gateway.Hosting.GatewayOptions).Assembly)
            .Append(typeof(Synapse.Silo.Audit.AuditCommandLine).Assembly)
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName")?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null && t.Section.StartsWith(SettingsSections.Root, StringComparison.Ordinal))
            .ToList();
        Assert.True(sections.Count > 15, $"only {sections.Count} settings classes found");

        var names = sections.Where(s => s.Section != SettingsSections.Root).Select(s => s.Section!.Split(':')[1])
            .Concat(sections.Where(s => s.Section == SettingsSections.Root).SelectMany(s => s.Type.GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name)))
            .Append(SecretFiles.DirectoryKey.Split(':')[1])
            .Distinct()
            .ToList();

        Assert.All(names, name => Assert.Contains(name, SettingsSections.TopLevel));
        Assert.All(SettingsSections.TopLevel, name => Assert.Contains(name, names));
    }

    private static List<string> Check(BoundSettings bound, IEnumerable<string> keys)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys.Select(k => KeyValuePair.Create(k, (string?)"1"))).Build();
        var result = new UnknownSettingsValidator(configuration, bound).Validate(null, new SettingKeys());
        return result.Failed ? result.Failures!.ToList() : [];
    }

    /// <summary>Keys written in the README, docs, compose files and scripts, <c>{name}</c> and <c>{i}</c> filled in, environment spelling turned into keys; the ones quoted as the error a misspelt key gets are left out.</summary>
    private static IEnumerable<string> DocumentedKeys()
    {
        string[] extensions = [".md", ".sh", ".yml", ".yaml", ".env", ".conf", ""];
        var files = new[] { "README.md", "docker-compose.yml", ".env.example" }.Select(f => RepositoryFiles.PathOf(f)).Where(File.Exists)
            .Concat(new[] { "docs", "deploy", "bench", "scripts" }.SelectMany(d => Directory.GetFiles(RepositoryFiles.PathOf(d), "*", SearchOption.AllDirectories)))
            .Where(f => extensions.Contains(Path.GetExtension(f)) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal));
        return files.Select(File.ReadAllText)
            .SelectMany(text => DocumentedKey().Matches(text).Where(m => !text.AsSpan(m.Index + m.Length).StartsWith(" is not a setting", StringComparison.Ordinal)))
            .Select(m => m.Value.Replace("__", ":", StringComparison.Ordinal).Replace("{name}", "x", StringComparison.Ordinal).Replace("{i}", "0", StringComparison.Ordinal).TrimEnd(':', '.', '_'))
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string?> ValidProvider() =>
        GatewayHost.Provider("local", new Uri("http://127.0.0.1:9/v1"), "on-prem", "llama3");

    [GeneratedRegex(@"Synapse(?::|__)[A-Za-z0-9_:{}.\-]+")]
    private static partial Regex DocumentedKey();
}

/// <summary>The check reads keys as the binder does: a property's <see cref="ConfigurationKeyNameAttribute"/> is its key.</summary>
public sealed class UnknownSettingsKeyNameTests
{
    [Fact]
    public void APropertyWithAConfigurationKeyName_IsReadByThatName()
    {
        var bound = new BoundSettings();
        bound.Add("Synapse:Audit", typeof(RenamedSettings));

        Assert.True(Validate(bound, "Synapse:Audit:max-items").Succeeded);
        var wrong = Validate(bound, "Synapse:Audit:MaxItems");
        Assert.Equal(["Synapse:Audit:MaxItems is not a setting; did you mean Synapse:Audit:max-items?"], wrong.Failures);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(BoundSettings bound, string key) =>
        new UnknownSettingsValidator(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)"3")]).Build(), bound).Validate(null, new SettingKeys());

    private sealed class RenamedSettings
    {
        [ConfigurationKeyName("max-items")]
        public int MaxItems { get; set; }
    }
}
