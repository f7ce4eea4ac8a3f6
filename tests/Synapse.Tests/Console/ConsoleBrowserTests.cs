using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// The console in Debian's chromium, driven by playwright-core from <c>tests/browser/journeys.mjs</c>:
/// first-run setup to an OpenAI SDK call with the copied key, the auditor's view, sessions, DLP
/// try-it and an inert XSS team name, the Orleans dashboard, and a path base. The run writes each
/// page's screenshot to <c>docs/console/</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ConsoleBrowserTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task TheConsoleJourneys_WorkInChromium()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"));
        var root = RepositoryRoot();

        var output = await RunJourneysAsync(root, "main", gateway.BaseAddress.ToString().TrimEnd('/'), Path.Combine(root, "docs", "console"), (what, payload) => AnswerAsync(gateway, what, payload));

        Assert.Contains("DONE main", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConsole_WorksUnderAPathBase()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        settings["pathbase"] = "/gw";
        await using var gateway = await GatewayHost.StartAsync(settings);

        var output = await RunJourneysAsync(RepositoryRoot(), "pathbase", gateway.BaseAddress.ToString().TrimEnd('/') + "/gw", screenshots: "", (_, _) => Task.FromResult("{}"));

        Assert.Contains("DONE pathbase", output, StringComparison.Ordinal);
    }

    private static async Task<string> AnswerAsync(GatewayHost gateway, string what, JsonNode payload)
    {
        switch (what)
        {
            case "sdk-call":
                try
                {
                    var options = new OpenAIClientOptions { Endpoint = gateway.V1, RetryPolicy = new ClientRetryPolicy(0) };
                    var chat = new ChatClient("llama3", new ApiKeyCredential(payload["key"]!.GetValue<string>()), options);
                    ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("How many days of leave do I get?")]);
                    var completionId = await NewestCompletionIdAsync(gateway);
                    return JsonSerializer.Serialize(new { ok = true, answer = completion.Content[0].Text, completionId });
                }
                catch (ClientResultException e)
                {
                    return JsonSerializer.Serialize(new { ok = false, error = e.Message });
                }

            case "models":
                // A key the console showed, used as a client would: the model list over plain HTTP.
                using (var client = gateway.ClientFor(payload["key"]!.GetValue<string>()))
                {
                    var models = await client.GetAsync("/v1/models");
                    return JsonSerializer.Serialize(new { status = (int)models.StatusCode });
                }

            case "auditor":
                var username = "auditor-" + Guid.NewGuid().ToString("N")[..6];
                const string password = "reads and never writes";
                (await gateway.Admin.PostAsJsonAsync("/admin/api/accounts", new { username, password, role = "auditor" })).EnsureSuccessStatusCode();
                return JsonSerializer.Serialize(new { username, password });

            case "expire":
                // Time passing for this account's sessions alone: their last use moves back past the idle timeout.
                var database = (SynapseDatabase)gateway.Services.GetService(typeof(SynapseDatabase))!;
                var name = payload["username"]!.GetValue<string>();
                Assert.Matches("^[a-z0-9-]+$", name);
                await database.ExecuteAsync($"UPDATE admin_sessions SET last_seen_at = last_seen_at - 4000000 WHERE username = '{name}'");
                return "{}";

            default:
                throw new InvalidOperationException("The journey asked for " + what);
        }
    }

    // The completion is written just after the answer is delivered.
    private static async Task<long> NewestCompletionIdAsync(GatewayHost gateway)
    {
        var item = await Eventually.ValueAsync<JsonNode?>(
            async () => (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=completion&limit=1"))!["items"]!.AsArray().FirstOrDefault(),
            found => found is not null,
            TimeSpan.FromSeconds(10));
        Assert.True(item is not null, "The completion event was not written.");
        return item!["id"]!.GetValue<long>();
    }

    private static async Task<string> RunJourneysAsync(string root, string suite, string baseUrl, string screenshots, Func<string, JsonNode, Task<string>> answer)
    {
        var browserDir = Path.Combine(root, "tests", "browser");
        Assert.True(File.Exists("/usr/bin/chromium") || Environment.GetEnvironmentVariable("CHROMIUM") is not null, "Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium).");
        if (!Directory.Exists(Path.Combine(browserDir, "node_modules", "playwright-core")))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", browserDir);
        }

        var start = new ProcessStartInfo("node", ["journeys.mjs", suite])
        {
            WorkingDirectory = browserDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SYNAPSE_URL"] = baseUrl;
        start.Environment["SYNAPSE_ADMIN_TOKEN"] = GatewayHost.AdminToken;
        start.Environment["SYNAPSE_SCREENSHOTS"] = screenshots;
        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.StartsWith("NEED ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', 3);
                    await node.StandardInput.WriteLineAsync(await answer(parts[1], JsonNode.Parse(parts[2])!));
                    await node.StandardInput.FlushAsync(timeout.Token);
                }
            }

            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"The browser journeys took longer than {Limit}:\n{output}");
        }

        Assert.True(node.ExitCode == 0, $"The browser journeys failed:\n{output}\n{await errors}");
        return output.ToString();
    }

    private static async Task RunAsync(string file, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {await stderr}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Synapse.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Synapse.sln not found above the test assembly.");
    }
}
